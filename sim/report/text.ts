/**
 * The terminal summary: one row per suite (the no-checksum baseline first), then the
 * totals a person checks first. Plain text, fixed columns, no colour codes.
 */
import { OUTCOMES } from "../classify.js";
import { isComplete, type SimResult } from "../result.js";
import { missingShards } from "../shard.js";
import { count, noun } from "../../cli/plural.js";
import { fmtBytes } from "./svg.js";
import type { FirmwareWitness } from "../witness.js";

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/** Whole number with thousands separators. */
export function n(v: number): string {
  return Math.round(v).toLocaleString("en-US");
}

/** What a run's RAM high-water mark counts: measured by the engine (engine mode, or stat mode's firmware witness) or the agent's buffers. */
export function ramMeaning(r: SimResult): string {
  const mode = r.config.mode;
  if (mode === "stat" && (r.firmwareWitness?.ramHighWaterBytes ?? 0) > 0) return "bytes above an empty QuickJS runtime, as the limit counts them: the exact firmware (below) signing its stand-in, with its code, agent, buffers and temporaries";
  return mode === "fast" || mode === "stat" ? `bytes above an empty runtime; ${mode} mode counts the agent's piece, header and two window buffers (verifier, signer) only` : "bytes above an empty QuickJS runtime: firmware, agent, buffers and temporaries, at every operation and piece";
}

/** What stat mode's firmware witness found (sim/witness.ts), for the text and HTML reports. */
export function witnessOutcome(w: FirmwareWitness): string {
  if (w.failure !== null) return `could not sign: ${w.failure}`;
  return `its header (${n(w.headerBytes)} octets) ${w.sameHeader ? "the same octets as the Node build's" : "DIFFERS from the Node build's"}, RAM high-water ${fmtBytes(w.ramHighWaterBytes)} of ${fmtBytes(w.ramLimitBytes)} measured in QuickJS`;
}

export function summaryText(r: SimResult): string {
  const c = r.config;
  const lines: string[] = [];
  const missing = missingShards(r.shards, r.shardCount);
  const partial = isComplete(r) ? "" : ` — PARTIAL: ${noun(r.shards.length, "shard")} ${r.shards.join(",")} of ${r.shardCount}; missing ${missing.join(",")}`;
  lines.push(`pibkit sim: scenario ${c.scenario}, board ${c.board}, ${count(c.days, "day")}, seed ${c.seed}, ${c.mode} mode${partial}`);
  lines.push(
    `${count(r.bundles, "bundle")} (${fmtBytes(c.bytesPerDay)} imaged per day), ${count(r.upsets.total, "upset")} on held bundles (${n(r.upsets.multiBit)} multi-bit, ${n(r.upsets.exposure)} before signing), ${count(r.corruptedBundles, "bundle")} reached a check corrupted`,
  );
  lines.push("");
  const cols = ["suite", ...OUTCOMES, "wasted downlink", "resends", "Mcycles/bundle"];
  const widths = [44, 7, 9, 7, 12, 14, 9, 16, 8, 15];
  lines.push(cols.map((h, i) => pad(h, widths[i]!, i > 0)).join(" "));
  for (const s of r.suites) {
    const per = r.bundles > 0 ? s.cycles / r.bundles / 1e6 : 0;
    const row = [s.name, ...s.outcomes.map((v) => n(v)), s.suite === 0 ? "-" : fmtBytes(s.wastedDownlinkBytes), s.suite === 0 ? "-" : n(s.resends), s.suite === 0 ? "-" : per.toFixed(1)];
    lines.push(row.map((v, i) => pad(v, widths[i]!, i > 0)).join(" "));
  }
  lines.push("");
  const oc = r.onboardChecks;
  if (oc.checked + oc.skipped > 0) {
    lines.push(
      `on-board checks before downlink: ${n(oc.checked)} of ${count(oc.checked + oc.skipped, "bundle")} (${c.onboardCheckSeconds.toFixed(0)} s of the processor each, within ${n(c.onboardCpuPercent)} % of its time); ` +
        `they delayed first transmissions by ${n(oc.delaySeconds)} s in all, ${count(oc.passesMissed, "bundle")} to a later pass`,
    );
  }
  const os = r.onboardSigning;
  if (os !== undefined && os.signed > 0 && (c.onboardSignSeconds ?? 0) > 0) {
    lines.push(
      `on-board signing: ${count(os.signed, "bundle")}, ${n(os.cpuSeconds)} CPU s of the processor in all (${(c.onboardSignSeconds ?? 0).toFixed(0)} s each${c.onboardCpuPercent > 0 ? `, within ${n(c.onboardCpuPercent)} % of its time` : ""}); ` +
        `first transmissions ${n(os.delaySeconds)} s later in all than with instant signing, ${count(os.passesMissed, "bundle")} in a later pass`,
    );
  }
  if ((c.groundCheckSeconds ?? 0) > 0) lines.push(`ground checks: ${(c.groundCheckSeconds ?? 0).toFixed(2)} s per bundle from the last octet to the verdict (the Node build's measured rates); a resend is booked from the verdict`);
  if (r.exactBundles !== undefined) lines.push(`statistical mode: verdicts from each bundle's flipped bits (CRC-32C by syndrome; MD5, HMAC-SHA1: any flip caught); header hits decided from the header; ${count(r.exactBundles, "bundle")} it could not decide (or with stuck cells) went through the firmware on their bytes`);
  lines.push(`RAM high-water ${fmtBytes(r.ramHighWaterBytes)} of ${fmtBytes(c.ramLimitBytes)} (${ramMeaning(r)}); out-of-memory events: ${n(r.oomEvents.length)}`);
  const w = r.firmwareWitness;
  if (w !== undefined) lines.push(`exact firmware beside it: ${w.firmware} in QuickJS under the board's RAM signed a stand-in of ${n(w.payloadBytes)} octets with the run's SDNV lengths; ${witnessOutcome(w)}`);
  lines.push(`cost unit: cycles = octets digested on the board × cycles/octet from ${c.costSource}; an estimate: the board is taken to need as many cycles per operation as QuickJS on the host that measured them`);
  lines.push(`missed = delivered with corruption after signing; exposure = corrupted before the PIB existed (no checksum can see it)`);
  lines.push(`assumptions (figures with no published source): ${n(r.assumptions.length)}; the HTML report (--out DIR) lists them`);
  return lines.join("\n") + "\n";
}
