/**
 * The Node library as a user imports it: `import … from "pibkit"` resolves through
 * package.json's "exports" to dist/node/pibkit.mjs (here by Node's self-reference to its
 * own package, in a process of its own), with the classes the docs show — KeyTable,
 * Verifier, Signer, Relay and the streaming StreamVerifier and StreamSigner — and
 * declarations that exist where pibkit.d.mts points.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { EX1_CRC, EX1_UNSIGNED } from "./support/pibVectors.js";

describe('import … from "pibkit"', () => {
  it("gives the documented classes, and StreamVerifier verifies Example 1 pushed in pieces; StreamSigner signs it", () => {
    const script = `
      import { KeyTable, Verifier, Signer, Relay, StreamVerifier, StreamSigner, constantTimeEqual, diversify } from "pibkit";
      for (const [n, f] of Object.entries({ KeyTable, Verifier, Signer, Relay, StreamVerifier, StreamSigner, constantTimeEqual, diversify })) if (typeof f !== "function") throw new Error(n + " missing");
      const b = Buffer.from("${EX1_CRC}", "hex");
      const v = new StreamVerifier(8, 8, 4, 4096, 2);
      v.begin();
      for (let i = 0; i < b.length; i += 7) v.push(b, i, Math.min(7, b.length - i));
      const n = v.end();
      const u = Buffer.from("${EX1_UNSIGNED}", "hex");
      const g = new StreamSigner(8, 8, 4096);
      g.begin(3, 0);
      for (let i = 0; i < u.length; i += 5) g.push(u, i, Math.min(5, u.length - i));
      const m = g.end();
      console.log(JSON.stringify({ n, verdict: v.verdict[0], signed: m, head: Buffer.from(g.win.subarray(0, g.headLen)).toString("hex"), from: g.inputFrom }));
    `;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { n: number; verdict: number; signed: number; head: string; from: number };
    expect(out.n).toBe(1);
    expect(out.verdict).toBe(0);
    // the signed bundle is the header the signer laid out, then the input from `inputFrom` on: Example 1 signed with CRC-32C
    expect(out.signed).toBe(EX1_CRC.length / 2);
    expect(out.head + EX1_UNSIGNED.slice(2 * out.from)).toBe(EX1_CRC);
  });

  it("package.json exports point at files the build makes, and the declarations are where pibkit.d.mts says", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { exports: { ".": { types: string; default: string } } };
    expect(existsSync(pkg.exports["."].default)).toBe(true);
    const dts = pkg.exports["."].types;
    const target = /from "(.+)\.js"/.exec(readFileSync(dts, "utf8"))![1]!;
    const decl = readFileSync(join(dirname(dts), target + ".d.ts"), "utf8");
    expect(decl).toMatch(/StreamVerifier/);
    expect(decl).toMatch(/from "\.\/full\.js"/);
  });
});
