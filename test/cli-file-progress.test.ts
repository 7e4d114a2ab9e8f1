/**
 * Progress through a large file on a terminal (cli/progress.ts `fileProgress`, used by
 * digest, verify, inspect and sign through cli/read.ts): nothing in the first second,
 * then one redrawn line, closed when the file is done; a file done within the second
 * leaves no trace. Off a terminal the commands print nothing of it (every CLI test that
 * compares stderr exactly runs without one).
 */
import { describe, expect, it } from "vitest";
import { FILE_PROGRESS_AFTER_MS, fileProgress } from "../cli/progress.js";

const MiB = 1048576;

function fake(): { out: string[]; now: () => number; t: { ms: number } } {
  const t = { ms: 0 };
  return { out: [], now: () => t.ms, t };
}

describe("progress through a large file", () => {
  it("draws nothing before the first second, then the octets read, and ends its line", () => {
    const f = fake();
    const p = fileProgress("pibkit verify", "big.bin", 1024 * MiB, { write: (s) => f.out.push(s), tty: true, now: f.now });
    for (let pos = 0; pos < 300 * MiB; pos += MiB) {
      f.t.ms += 1;
      p.tick(pos);
    }
    expect(f.out).toEqual([]);
    f.t.ms = FILE_PROGRESS_AFTER_MS + 5;
    p.tick(512 * MiB);
    expect(f.out).toEqual(["\rpibkit verify: big.bin: 512 MiB of 1024 MiB (50%, 1 s)"]);
    f.t.ms += 50; // within one redraw period: no new line
    p.tick(513 * MiB);
    expect(f.out.length).toBe(1);
    f.t.ms += 200;
    p.tick(1024 * MiB); // the last piece read is not the end: never 100 % before end()
    expect(f.out[1]).toMatch(/1024 MiB of 1024 MiB \(99\.9%, 1 s\)$/);
    p.end();
    expect(f.out[2]).toMatch(/^\rpibkit verify: big\.bin: 1024 MiB \(100%, 1 s\) *\n$/);
  });
  it("a file read within the second leaves nothing, end() included", () => {
    const f = fake();
    const p = fileProgress("pibkit digest", "a.bin", 400 * MiB, { write: (s) => f.out.push(s), tty: true, now: f.now });
    for (let pos = 0; pos < 400 * MiB; pos += MiB) p.tick(pos);
    p.end();
    expect(f.out).toEqual([]);
  });
});
