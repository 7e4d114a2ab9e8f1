/**
 * `pibkit` — the ground tools. One file per command in this folder; this table is
 * the only place that lists them.
 */
import { CliError, EXIT_USAGE, fileErrorText, isCliError, version } from "./common.js";
import { writeOut } from "./stdout.js";

interface Command {
  summary: string;
  load: () => Promise<{ run: (argv: string[]) => Promise<number> | number }>;
}

const COMMANDS: Record<string, Command> = {
  digest: { summary: "CRC-32C, MD5, SHA-1 or HMAC-SHA1 of a file", load: () => import("./digest.js") },
  sdnv: { summary: "encode or decode an SDNV (RFC 5050 §4.1)", load: () => import("./sdnv.js") },
  "make-bundle": { summary: "build an RFC 5050 bundle", load: () => import("./makeBundle.js") },
  sign: { summary: "add a checksum PIB to a bundle", load: () => import("./sign.js") },
  verify: { summary: "verify every PIB of a bundle", load: () => import("./verify.js") },
  inspect: { summary: "annotated dump of a bundle", load: () => import("./inspect.js") },
  bench: { summary: "throughput against peer libraries", load: () => import("./bench.js") },
  size: { summary: "firmware size and RAM budget report", load: () => import("./size.js") },
  sim: { summary: "radiation-error simulator (default: leo-ssr-2008)", load: () => import("./sim.js") },
};

const HELP = `pibkit — Payload Integrity Blocks for RFC 5050 bundles, from microcontroller to ground

usage: pibkit <command> [options]      pibkit <command> --help      pibkit --version

commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join("\n")}

exit status: 0 ok, 1 verification failed, 2 bad usage or malformed input
`;

async function main(argv: string[]): Promise<number> {
  const name = argv[0];
  if (name === undefined || name === "--help" || name === "-h" || (name === "help" && argv[1] === undefined)) {
    writeOut(HELP);
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === "--version" || name === "-V" || name === "version") {
    writeOut(`pibkit ${version()}\n`);
    return 0;
  }
  // `pibkit help sign` = `pibkit sign --help`
  const asked = name === "help" ? argv[1]! : name;
  const cmd = COMMANDS[asked];
  if (cmd && name === "help") return (await cmd.load()).run(["--help"]);
  if (!cmd) throw new CliError(EXIT_USAGE, `unknown command "${asked}" (one of ${Object.keys(COMMANDS).join(", ")}; see pibkit --help)`);
  const mod = await cmd.load();
  return mod.run(argv.slice(1));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const cmd = process.argv[2] ?? "";
    if (isCliError(e)) {
      process.stderr.write(`pibkit ${cmd}: error: ${e.message}\n`);
      process.exitCode = e.exitCode;
    } else {
      // a file error that escaped a command still names its path, in the commands' wording
      const err = e as { code?: string; message?: string; path?: string; syscall?: string };
      const verb: Record<string, string> = { open: "open", read: "read", write: "write", mkdir: "create", scandir: "list", unlink: "remove", rename: "rename" };
      const msg =
        err.code !== undefined && err.path !== undefined
          ? `cannot ${verb[err.syscall ?? ""] ?? "use"} ${err.path}: ${fileErrorText(err)}`
          : `internal error: ${(err.message ?? String(e)).split("\n")[0]}`;
      process.stderr.write(`pibkit ${cmd}: error: ${msg}\n`);
      process.exitCode = EXIT_USAGE;
    }
  },
);
