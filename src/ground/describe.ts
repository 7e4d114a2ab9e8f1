/**
 * PIBs as a person reads them (`pibkit inspect`, `pibkit verify`): names and hex
 * strings made from a Verifier's tables after `verifyAll`. Ground tools only: every
 * call allocates, so nothing on a check's path calls it.
 */
import { SuiteKind, suiteName as suiteNameOf } from "../core/suites.js";
import { Verdict } from "../core/verdict.js";
import { Wire } from "../core/wire.js";
import type { Verifier } from "./pib.js";

const VERDICT_NAMES = ["ok", "MISMATCH", "unknown suite", "unknown key", "malformed", "skipped (fragment)", "skipped (budget)"];

/** Human-readable verdict. */
export function verdictName(v: number): string {
  return VERDICT_NAMES[v] || "?";
}

/** One PIB as `pibkit inspect --json` prints it. */
export interface PibDescription {
  /** Block index and absolute offset of the block's type octet. */
  block: number;
  blockOffset: number;
  /** Block type: 3, or 4 for DTN2's PIB. */
  blockType: number;
  /** Ciphersuite id (-1 when the block could not be read) and its name (INSECURE where it applies). */
  suite: number;
  suiteName: string;
  /** Key id for PIB-HMAC, else null. */
  keyId: number | null;
  /** Covered payload range (offset relative to the original ADU, length); null when not read. */
  offset: number | null;
  length: number | null;
  /** Security-result value as hex ("" when not read). */
  result: string;
  /** "ok", "MISMATCH", "unknown suite", …, with the error name for malformed. */
  verdict: string;
  verdictCode: number;
  /** Err code behind the verdict (0 when none). */
  code: number;
}

/**
 * Describes the PIBs of the verifier's last `verifyAll` (call it first). `errName`
 * turns an Err code into its name (errorText.ts's `errorName`, passed in so that
 * firmware never links the text table).
 */
export function describePibs(v: Verifier, errName: (code: number) => string): PibDescription[] {
  const out: PibDescription[] = [];
  const b = v.bundle;
  for (let k = 0; k < v.count; k++) {
    const kind = v.kind[k]!;
    const keyId = v.keyId[k]!;
    const suite = v.suite[k]!;
    let name = kind !== SuiteKind.None ? suiteNameOf(kind, keyId) : suite < 0 ? "unreadable security block" : "unknown suite";
    // RFC 6257 §4.2 PIB-RSA-SHA256 (IBR-DTN, DTN2 PI2): reported for what it is, never checked.
    if (suite === 2) name = "PIB-RSA-SHA256 (not a checksum suite)";
    if (kind === SuiteKind.None && v.blockType[k] === Wire.Pcb) name += ", DTN2 PIB in block type 4";
    const rOff = v.resultOff[k]!;
    let result = "";
    for (let j = 0; rOff >= 0 && j < v.resultLen[k]!; j++) result += (b.buf[rOff + j]! + 0x100).toString(16).slice(1);
    const code = v.code[k]!;
    const verdict = v.verdict[k]!;
    out.push({
      block: v.block[k]!,
      blockOffset: b.blockStart[v.block[k]!]!,
      blockType: v.blockType[k]!,
      suite,
      suiteName: name,
      keyId: kind === SuiteKind.Hmac && keyId >= 0 ? keyId : null,
      offset: v.rangeOff[k]! >= 0 ? v.rangeOff[k]! : null,
      length: v.rangeLen[k]! >= 0 ? v.rangeLen[k]! : null,
      result,
      verdict: verdictName(verdict) + (verdict === Verdict.Malformed && code !== 0 ? " (" + errName(code) + ")" : ""),
      verdictCode: verdict,
      code,
    });
  }
  return out;
}
