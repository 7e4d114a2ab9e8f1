/**
 * The simulator report's plots explain what they draw and nothing else: every colour in
 * a legend or key appears on the plot, every colour on the plot is in its legend, and
 * the axes say their unit (the RAM plot that its scale is logarithmic).
 */
import { describe, expect, test } from "vitest";
import { COLORS, ramPerBoard, stackedBars, upsetTimeline } from "../sim/report/svg.js";

/** Fill colours of the plot's marks (class "bar") and of its legend swatches (class "key"). */
function fills(svg: string, cls: string): Set<string> {
  const out = new Set<string>();
  for (const m of svg.matchAll(/<rect class="([^"]*)"[^>]*fill="([^"]+)"/g)) if (m[1]!.split(" ").includes(cls)) out.add(m[2]!);
  return out;
}

const BOARDS = [
  { board: "small", ramBytes: 64 * 1024 },
  { board: "big", ramBytes: 64 * 1024 * 1024 },
];

describe("sim report plots: legends of drawn colours, labelled axes", () => {
  test("RAM plot: the high-water bar's colour is in the legend, 'too small' only when a board is too small, a log-scale axis title", () => {
    const both = ramPerBoard(200 * 1024, "big", BOARDS);
    expect(fills(both, "key")).toEqual(fills(both, "bar"));
    expect(fills(both, "key").has(COLORS.ram)).toBe(true);
    expect(both).toMatch(/class="axis-title"[^>]*>RAM, bytes \(log scale/);
    expect(both).toContain('class="axis-line"');
    const allFit = ramPerBoard(10 * 1024, "big", BOARDS);
    expect(fills(allFit, "bar").has(COLORS.limit)).toBe(false);
    expect(fills(allFit, "key")).toEqual(fills(allFit, "bar"));
    expect(allFit).not.toContain("too small");
  });

  test("outcome bars: the legend names only the classes that have a bar", () => {
    const series = [
      { label: "intact", color: COLORS.intact },
      { label: "missed", color: COLORS.missed },
      { label: "out-of-memory", color: COLORS["out-of-memory"] },
    ];
    const svg = stackedBars("outcomes", "t", [{ label: "a", values: [3, 1, 0] }, { label: "b", values: [4, 0, 0] }], series, String);
    expect(fills(svg, "key")).toEqual(fills(svg, "bar"));
    expect(svg).not.toContain("out-of-memory");
  });

  test("upsets over time: a y-axis title with the bin, and the key names red only when exposure bars are drawn", () => {
    const none = upsetTimeline([0, 2, 0, 1], [0, 0, 0, 0], 600, [[100, 200]], [[1000, 1200]], 2400);
    expect(none).toMatch(/class="axis-title"[^>]*>upsets \/ 10 min</);
    expect(none).not.toContain("(red)");
    expect(none).toContain("SAA crossings (yellow)");
    const some = upsetTimeline([0, 2, 0, 1], [0, 1, 0, 0], 600, [], [[1000, 1200]], 2400);
    expect(some).toContain("in the exposure window (red)");
    expect(some).not.toContain("SAA crossings (yellow)");
  });
});
