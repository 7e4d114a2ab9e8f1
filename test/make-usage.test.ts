/**
 * The make targets with bad values, as a new user types them: one line from the script
 * naming the value and the allowed ones, exit 2, no Node stack; nothing is built first.
 * And the espruino CLI's real error is passed on, not its last line ("Node.js v20…").
 */
import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain .mjs without types
import { toolError as toolErrorJs } from "../targets/build/toolError.mjs";

const toolError = toolErrorJs as (text: string) => string;

interface Run {
  code: number;
  err: string;
  out: string;
}
function run(cmd: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: "utf8", timeout: 120_000 }, (e, out, err) => {
      const code = e ? (e as { code?: unknown }).code : 0;
      resolve({ code: typeof code === "number" ? code : -1, out, err });
    });
  });
}
/** make without its install step (the npm stamp is taken as up to date: no npm install in a test). */
const make = (...args: string[]) => run("make", ["--no-print-directory", "-o", "node_modules/.package-lock.json", ...args]);

/** The script's own stderr lines (make adds its "make: *** … Error 2" line after them). */
function scriptLines(r: Run): string[] {
  return r.err.split("\n").filter((l) => l.trim() !== "" && !/^make(\[\d+\])?: /.test(l));
}
function expectOneLine(r: Run, what: string, want: RegExp): void {
  expect(r.code, `${what}: ${r.err}`).not.toBe(0);
  expect(r.err, what).not.toMatch(/^\s+at /m);
  expect(r.err, what).not.toMatch(/file:\/\/|node:internal|Node\.js v\d/);
  expect(scriptLines(r), `${what}: ${r.err}`).toHaveLength(1);
  expect(scriptLines(r)[0], what).toMatch(want);
}

describe("make targets: bad values are one line, non-zero exit", () => {
  const TABLE: Array<[string[], RegExp]> = [
    [["firmware", "SUITES=foo"], /^build: error: unknown suite "foo" in SUITES \(allowed: hmac, insecure-md5, insecure-crc32/],
    [["firmware", "SUITES=hmac,crc"], /unknown suite "crc"/],
    [["firmware", "SUITES=,"], /^build: error: SUITES is empty \(allowed: hmac, insecure-md5, insecure-crc32/],
    [["flash-espruino", "SUITES=,"], /^flash-espruino: error: SUITES is empty \(allowed: hmac/],
    [["firmware", "MODDABLE_BOARD=nope"], /^build: error: unknown MODDABLE_BOARD "nope" \(allowed: moddable-esp32, moddable-esp8266\)/],
    [["firmware", "MODDABLE_BOARD=espruino-puckjs"], /unknown MODDABLE_BOARD "espruino-puckjs"/],
    [["firmware", "ROLE=gateway"], /^build: error: unknown ROLE "gateway" \(allowed: node, relay\)/],
    [["flash-espruino", "BOARD=espruino-puckjs", "SUITES=foo"], /^flash-espruino: error: unknown suite "foo" in SUITES/],
    [["flash-espruino", "BOARD=nope"], /^flash-espruino: error: unknown BOARD "nope" \(allowed: espruino-original, espruino-pico, espruino-puckjs/],
    [["flash-espruino", "BOARD=moddable-esp32"], /unknown BOARD "moddable-esp32"/],
    [["flash-espruino", "FEATURE=everything"], /^flash-espruino: error: unknown FEATURE "everything" \(allowed: full, pib-path/],
    [["flash-espruino", "FEATURE=crc-only", "SUITES=hmac"], /FEATURE=crc-only cannot go with it/],
    [["flash-espruino", "PORT=/dev/pibkit-no-such-tty"], /^flash-espruino: error: no device at PORT=\/dev\/pibkit-no-such-tty/],
  ];
  it("the whole table", async () => {
    const runs: Run[] = [];
    for (const [args] of TABLE) runs.push(await make(...args)); // one at a time: make runs node
    for (const [k, [args, want]] of TABLE.entries()) {
      expectOneLine(runs[k]!, "make " + args.join(" "), want);
      expect(runs[k]!.err, args.join(" ")).toMatch(/Error 2$/m); // the script's own exit status was 2
      expect(runs[k]!.out, args.join(" ")).not.toMatch(/would be sent|built firmware|flashed/);
    }
  }, 300_000);
  it("the scripts themselves exit 2 on bad arguments and 0 on --help, which lists the allowed values", async () => {
    const bad = await run("node", ["targets/build/build.mjs", "--frobnicate"]);
    expectOneLine(bad, "build.mjs --frobnicate", /^build: error: unknown argument "--frobnicate" \(allowed: --node, --firmware/);
    expect(bad.code).toBe(2);
    const badFlash = await run("node", ["targets/build/flash-espruino.mjs", "prot=/dev/ttyACM0"]);
    expectOneLine(badFlash, "flash-espruino.mjs prot=", /unknown argument "prot=\/dev\/ttyACM0" \(allowed: port=…, board=…/);
    expect(badFlash.code).toBe(2);
    const help = await run("node", ["targets/build/build.mjs", "--help"]);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/--suites=S.*hmac, insecure-md5, insecure-crc32/);
    expect(help.out).toMatch(/moddable-esp32, moddable-esp8266/);
    const flashHelp = await run("node", ["targets/build/flash-espruino.mjs", "--help"]);
    expect(flashHelp.code).toBe(0);
    expect(flashHelp.out).toMatch(/BOARD +espruino-original, espruino-pico, espruino-puckjs, espruino-bangle2, espruino-esp32/);
    expect(flashHelp.out).toMatch(/FEATURE +full, pib-path/);
  }, 120_000);
});

describe("the espruino CLI's real error is passed on", () => {
  // what espruino-cli 0.1.67 prints on Node 20 for a port that is no serial device
  // (it falls back to Bluetooth through D-Bus) on a machine without network
  const OUT = `Espruino Command-line Tool 0.1.67
-----------------------------------

Explicit board JSON supplied: "PUCKJS"
Connecting to 'AA:BB:CC:DD:EE:FF'
`;
  const ERR = `getURL("http://www.espruino.com/json/PUCKJS.json") error : Error: getaddrinfo ENOTFOUND www.espruino.com
/work/main/node_modules/espruino/core/serial_noble.js:56
    } else throw err;
           ^

Error: connect ENOENT /var/run/dbus/system_bus_socket
    at PipeConnectWrap.afterConnect [as oncomplete] (node:net:1611:16)
Emitted 'error' event on MessageBus instance at:
    at EventEmitter.<anonymous> (/work/main/node_modules/dbus-next/lib/bus.js:159:12)
    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {
  errno: -2,
  code: 'ENOENT',
  syscall: 'connect',
  address: '/var/run/dbus/system_bus_socket'
}

Node.js v20.20.2
`;
  it("the thrown error first, then the other error lines, on one line; no banner, no stack", () => {
    const line = toolError(ERR + "\n" + OUT);
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toMatch(/^Error: connect ENOENT \/var\/run\/dbus\/system_bus_socket; /);
    expect(line).toMatch(/getaddrinfo ENOTFOUND www\.espruino\.com/);
    expect(line).not.toMatch(/Node\.js v20|\bat \w|throw err|errno|\^/);
  });
  it("a tool that says nothing matching an error: its last line", () => {
    expect(toolError("Connecting\nPort busy, giving up\n\nNode.js v20.20.2\n")).toBe("Port busy, giving up");
  });
});
