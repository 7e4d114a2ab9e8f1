/**
 * What a build contains: the build switches, the one way to choose it.
 *
 * Each switch is an esbuild `define` of a number, declared here once and set per build
 * by `buildDefines()` in targets/build/firmware.mjs (from a feature's suites and the
 * primitives a board profile asks for; docs/firmware.md "What a build contains"). Code
 * run without the define (vitest) gets the Node value after `:`; the ground CLI is built
 * with those same values defined, which spares it a lookup of an undeclared global at
 * each test (a 64-octet CRC-32C took ~52 ns with the lookups, ~44 ns without).
 * Every file reads a switch the same way, inline at the place it decides, never through
 * a module constant (esbuild folds the literal in place before it removes dead code, but
 * a constant of a module that imports anything, or an imported one, only after: the
 * dead branch and the module it names would stay in the firmware):
 *
 *   (typeof __PIBKIT_SUITES__ === "number" ? __PIBKIT_SUITES__ : -1) & (1 << SuiteKind.Md5)
 *   (typeof __PIBKIT_CRC_SLICES__ === "number" ? __PIBKIT_CRC_SLICES__ : 8) === 1
 *   (typeof __PIBKIT_HASH_LOOPS__ === "number" ? __PIBKIT_HASH_LOOPS__ : 0) === 1
 *   (typeof __PIBKIT_STREAM__ === "number" ? __PIBKIT_STREAM__ : 1) === 1
 *   (typeof __PIBKIT_WORD_VIEWS__ === "number" ? __PIBKIT_WORD_VIEWS__ : 1) === 1
 *
 * A file that reads one imports this module's types (`import type {} from "./build.js"`),
 * which costs nothing at run time and puts the declarations in every program that
 * compiles the file.
 */
declare global {
  /**
   * The suites this build carries: bit `1 << kind` for each SuiteKind (the suite table
   * in suites.ts); -1 = every suite. A left-out suite's digest is never constructed, so
   * its module is not in the build, and its on-board id is -1 (src/onboard/suiteIds.ts),
   * which no SDNV reads as: such a PIB verifies as an unknown suite and signing with it
   * returns -Err.UnknownSuite.
   */
  const __PIBKIT_SUITES__: number | undefined;
  /**
   * CRC-32C tables (crc32c.ts): 1 = one 256-entry table (1 KiB, microcontrollers);
   * 8 = the Node build: slicing-by-16 through 16 views one closure holds (16 KiB, made
   * once per process); 128 = slicing-by-128 through 128 views of
   * one 128 KiB table (the JIT-less interpreter build `pibkit bench` runs in QuickJS).
   */
  const __PIBKIT_CRC_SLICES__: number | undefined;
  /**
   * MD5 and SHA-1 bodies (md5.ts, sha1.ts, mdBlock.ts, hmac.ts): 1 = the steps as loops,
   * octets shifted straight into the message words, a 20-octet HMAC scratch (size
   * first: microcontrollers); 0 = unrolled bodies from a block buffer (speed first).
   */
  const __PIBKIT_HASH_LOOPS__: number | undefined;
  /**
   * Streaming verification on board (src/onboard/pibPath.ts, StreamVerifier): 1 = in
   * the build (the `pib-path+stream` firmware; vitest and Node), 0 = left out, so the
   * whole-buffer on-board path keeps its own size budget.
   */
  const __PIBKIT_STREAM__: number | undefined;
  /**
   * How the digests read the caller's octets (wordView.ts): 1 = as 32-bit words through
   * an Int32Array view of the caller's buffer, made once per buffer and found again in
   * a WeakMap (the Node build: one load per four octets, each V8 load with its bounds
   * check; the QuickJS speed build: MD5 and SHA-1 blocks, one interpreted load where
   * there were four octets and their shifts); 2 = the same words for MD5 and SHA-1, the
   * view of the buffer last fed kept in each digest object (the XS speed build: no
   * module state, no WeakMap, which a Moddable preload would freeze); 0 = octet by
   * octet (every other firmware build).
   */
  const __PIBKIT_WORD_VIEWS__: number | undefined;
}

export {};
