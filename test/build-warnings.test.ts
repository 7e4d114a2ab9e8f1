/**
 * A fresh `make` prints no warning: firmware builds rename src/'s internal members (the
 * names ending in `_`, MANGLED_PROP), and the build warns when a script or doc reads
 * one of them by name. The warning is for real conflicts; the tracked tree itself must not raise it,
 * or every newcomer's first build starts with a warning nobody can act on.
 */
import { describe, expect, it } from "vitest";
// @ts-expect-error plain .mjs without types
import { firmwareManglingConflicts } from "../targets/build/firmware.mjs";

describe("the build's member-renaming check", () => {
  it("finds no tracked script or doc reading a renamed member", () => {
    expect(firmwareManglingConflicts()).toEqual([]);
  });
});
