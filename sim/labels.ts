/**
 * What a report shows next to its numbers: every figure with its published source, and
 * every assumption (a figure without one) with why it was chosen — from the scenario
 * file, the board profile, the path and the cost table.
 */
import { type BoardInfo } from "./boards.js";
import { type CostTable } from "./costs.js";
import { DEFAULT_STACK_BYTES } from "./device.js";
import { PATH_ASSUMPTIONS } from "./path.js";
import type { Assumption, Figure } from "./result.js";
import { assumptions as scenarioAssumptions, figures as scenarioFigures, type Scenario } from "./scenario.js";

function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString("en-US") : String(n);
}

export function figuresOf(s: Scenario, board: BoardInfo, flight: boolean, payload: number, rate: number, budget: number): Figure[] {
  const out: Figure[] = [];
  for (const f of scenarioFigures(s)) {
    if (f.source !== undefined) out.push({ name: `scenario ${f.path}`, value: `${typeof f.value === "number" ? fmt(f.value) : f.value} ${f.unit}`, source: f.source });
  }
  out.push({ name: `board ${board.name} RAM (QuickJS heap limit)`, value: `${fmt(board.ramBytes)} bytes`, source: board.ramProvenance });
  out.push({ name: "run size", value: `${flight ? "flight" : "sim"} scale: ${fmt(payload)}-byte images, ${fmt(rate)} bit/s downlink, on-board check budget ${budget === Infinity ? "unlimited" : fmt(budget) + " bytes"} per bundle`, source: "scenario file and path assumptions" });
  return out;
}

export function assumptionsOf(s: Scenario, board: BoardInfo, costs: CostTable, budgetFlight: number): Assumption[] {
  const out: Assumption[] = scenarioAssumptions(s).map((a) => ({ name: `scenario ${a.path}`, value: `${typeof a.value === "number" ? fmt(a.value) : a.value} ${a.unit}`, why: a.assumed }));
  if (board.ramProvenance.startsWith("assumed")) out.push({ name: `board ${board.name} ramBytes`, value: `${fmt(board.ramBytes)} bytes`, why: board.ramProvenance.slice(9) });
  const budgetText = budgetFlight < 0 ? "unlimited (--onboard-budget unlimited)" : `${fmt(budgetFlight)} bytes per bundle`;
  const budgetWhy = budgetFlight === PATH_ASSUMPTIONS.onboardBudgetFlightBytes.value ? PATH_ASSUMPTIONS.onboardBudgetFlightBytes.why : "set with --onboard-budget";
  out.push({ name: "path: on-board check budget (flight size)", value: budgetText, why: budgetWhy });
  out.push({ name: "path: transmissions per bundle", value: String(PATH_ASSUMPTIONS.maxTransmissions.value), why: PATH_ASSUMPTIONS.maxTransmissions.why });
  out.push({ name: "path: resend timing", value: PATH_ASSUMPTIONS.resendTiming.value, why: PATH_ASSUMPTIONS.resendTiming.why });
  out.push({ name: "path: imaging pace", value: "one image per downlink-time of an image", why: "images of a session follow each other at the radio's pace (path.ts)" });
  out.push({ name: "device stack limit", value: `${fmt(DEFAULT_STACK_BYTES)} bytes`, why: "board profiles give no stack figure; QuickJS's native stack limit" });
  if (costs.source.startsWith("FALLBACK")) out.push({ name: "cost per octet", value: "HMAC 1200, MD5 600, CRC-32C 200 cycles/octet", why: costs.source });
  return out;
}

