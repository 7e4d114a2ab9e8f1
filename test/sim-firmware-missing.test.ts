/**
 * `sim` and `sim sweep` in engine or stat mode need the board's firmware file, which a
 * clone where only the ground tools are built (bin/pibkit builds those alone) has not:
 * one usage error naming the file and the command that builds it, before the run —
 * not an internal error at the first bundle, nor "no RAM is enough" from `--ram`.
 * The missing file is simulated: node:fs's existsSync says no for dist/boards/.
 */
import { describe, expect, it, vi } from "vitest";

vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  return { ...fs, existsSync: (p: import("node:fs").PathLike) => !String(p).includes("/dist/boards/") && fs.existsSync(p) };
});

const { checkRam, requireFirmware } = await import("../cli/simRam.js");
const { loadScenario } = await import("../sim/scenario.js");

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return "";
}

describe("sim: the board's firmware not built", () => {
  it("engine and stat modes: a usage error naming the file and how to build it; fast mode needs none", () => {
    for (const mode of ["engine", "stat"] as const) {
      expect(messageOf(() => requireFirmware("ssr-200mhz", mode))).toBe(
        `dist/boards/ssr-200mhz/pibkit-pib-path+stream+writer.js, the firmware ssr-200mhz runs in ${mode} mode, is not built: run \`make\` (or \`node targets/build/build.mjs\`) first`,
      );
    }
    expect(messageOf(() => requireFirmware("ssr-200mhz", "fast"))).toBe("");
    // a size-first board runs the generic build, which is there
    expect(messageOf(() => requireFirmware("espruino-puckjs", "engine"))).toBe("");
  });

  it("--ram says the same, not that no RAM is enough", async () => {
    let message = "";
    await checkRam(10, "engine", loadScenario("test-tiny"), "moddable-esp32", false, [4, 5, 6]).catch((e: Error) => (message = e.message));
    expect(message).toMatch(/^dist\/boards\/moddable-esp32\/\S+, the firmware moddable-esp32 runs in engine mode, is not built/);
  });
});
