/**
 * What a report shows next to its numbers: every figure with its published source, and
 * every assumption (a figure without one) with why it was chosen — from the scenario
 * file, the board profile, the path and the cost table.
 */
import { type BoardInfo } from "./boards.js";
import { type CostTable } from "./costs.js";
import { DEFAULT_STACK_BYTES } from "./device.js";
import { PATH_ASSUMPTIONS, type OnboardChecks } from "./path.js";
import type { Assumption, Figure } from "./result.js";
import { assumptions as scenarioAssumptions, figures as scenarioFigures, type Scenario } from "./scenario.js";

function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString("en-US") : String(n);
}

export function figuresOf(s: Scenario, board: BoardInfo, flight: boolean, payload: number, rate: number, onboard: OnboardChecks): Figure[] {
  const out: Figure[] = [];
  for (const f of scenarioFigures(s)) {
    if (f.source !== undefined) out.push({ name: `scenario ${f.path}`, value: `${typeof f.value === "number" ? fmt(f.value) : f.value} ${f.unit}`, source: f.source });
  }
  out.push({ name: `board ${board.name} RAM (QuickJS heap limit)`, value: `${fmt(board.ramBytes)} bytes`, source: board.ramProvenance });
  out.push({ name: "run size", value: `${flight ? "flight" : "sim"} scale: ${fmt(payload)}-byte images, ${fmt(rate)} bit/s downlink`, source: "scenario file" });
  out.push({
    name: "on-board check time",
    value: `${onboard.seconds.toFixed(1)} s of the ${fmt(board.clockHz)} Hz processor per bundle (every PIB, flight size)`,
    source: "cycles per octet of each suite (cost table) × flight-size octets ÷ the board's clock",
  });
  out.push({
    name: "on-board signing time",
    value: `${(onboard.signSeconds ?? 0).toFixed(1)} s of the ${fmt(board.clockHz)} Hz processor per bundle (in place: one pass per suite, each digesting its own PIB only; flight size)`,
    source: "cycles per octet of each suite (cost table) × flight-size octets ÷ the board's clock",
  });
  if ((onboard.groundSeconds ?? 0) > 0) {
    out.push({
      name: "ground check time",
      value: `${(onboard.groundSeconds ?? 0).toFixed(2)} s per bundle, from the last octet to the verdict (flight size)`,
      source: "pibkit verify on Node, 16 MiB bundles (docs/bench.md): CRC-32C 1,209, MD5 502, HMAC-SHA1 593 MB/s",
    });
  }
  return out;
}

export function assumptionsOf(s: Scenario, board: BoardInfo, costs: CostTable, cpuPercent: number, cpuDefault: boolean): Assumption[] {
  const out: Assumption[] = scenarioAssumptions(s).map((a) => ({ name: `scenario ${a.path}`, value: `${typeof a.value === "number" ? fmt(a.value) : a.value} ${a.unit}`, why: a.assumed }));
  if (board.ramProvenance.startsWith("assumed")) out.push({ name: `board ${board.name} ramBytes`, value: `${fmt(board.ramBytes)} bytes`, why: board.ramProvenance.slice(9) });
  out.push({ name: "path: processor share for on-board checks", value: `${fmt(cpuPercent)} %`, why: cpuDefault ? PATH_ASSUMPTIONS.onboardCpuPercent.why : "set with --onboard-cpu (or --checks)" });
  out.push({ name: "path: a copy failing the on-board check", value: PATH_ASSUMPTIONS.onboardDiscard.value, why: PATH_ASSUMPTIONS.onboardDiscard.why });
  out.push({ name: "path: transmissions per bundle", value: String(PATH_ASSUMPTIONS.maxTransmissions.value), why: PATH_ASSUMPTIONS.maxTransmissions.why });
  out.push({ name: "path: resend timing", value: PATH_ASSUMPTIONS.resendTiming.value, why: PATH_ASSUMPTIONS.resendTiming.why });
  out.push({ name: "path: imaging pace", value: "one image per downlink-time of an image", why: "images of a session follow each other at the radio's pace (path.ts)" });
  out.push({ name: "device stack limit", value: `${fmt(DEFAULT_STACK_BYTES)} bytes`, why: "board profiles give no stack figure; QuickJS's native stack limit" });
  if (costs.source.startsWith("FALLBACK")) out.push({ name: "cost per octet", value: "HMAC 1200, MD5 600, CRC-32C 200 cycles/octet", why: costs.source });
  return out;
}

