/**
 * Stand-in digest for feature builds (targets/build/firmware.mjs, `make firmware SUITES=…`):
 * the build resolves the module of a suite it leaves out to a file here, so the
 * firmware does not carry that algorithm. It is never fed: the build's suite ids make
 * the left-out suite unknown (UnknownSuite) before any digest is chosen.
 */
import type { Digest } from "../../core/digest.js";

export class AbsentDigest implements Digest {
  readonly size: number;
  constructor(size: number) {
    this.size = size;
  }
  reset(): void {}
  update(_buf: Uint8Array, _off: number, _len: number): void {}
  finish(_out: Uint8Array, _off: number): void {}
}
