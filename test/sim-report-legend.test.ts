/**
 * The simulator report's plots explain what they draw and nothing else: every colour in
 * a legend or key appears on the plot, every colour on the plot is in its legend, and
 * the axes say their unit (the RAM plot that its scale is logarithmic).
 */
import { describe, expect, test } from "vitest";
import { COLORS, ramPerBoard, stackedBars, timeAxis, upsetTimeline } from "../sim/report/svg.js";

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

  /** The tick labels of the time axis, and its title. */
  const ticks = (svg: string): number[] => [...svg.matchAll(/<text class="tick"[^>]*>([0-9.]+)<\/text>/g)].map((m) => Number(m[1]));
  const xTitle = (svg: string): string => /<text class="axis-title" x=[^>]*>([^<]*)<\/text>/.exec(svg)?.[1] ?? "";
  const DAY = 86400;

  test("upsets over time: a 1-day run whose queue drained on day 2 is drawn to its last upset, not to 48 h; hours on the axis", () => {
    const bins = new Array<number>(288).fill(0); // 48 h of 10-min bins, as a 1-day run's whole-day horizon gives
    bins[10] = 3;
    bins[154] = 1; // the last upset, in the bin ending at 25 h 50 min
    const saa = [[25920, 26520], [120000, 120600]] as Array<[number, number]>; // the second after the axis ends
    const svg = upsetTimeline(bins, new Array<number>(288).fill(0), 600, saa, [[30000, 30500], [150060, 150594]], DAY);
    const t = ticks(svg);
    expect(t[0]).toBe(0);
    expect(t.at(-1)).toBe(27); // 3-hour ticks, the first at or after 25 h 50 min
    expect(xTitle(svg)).toBe("time since the start of the run (hours)");
    // marks past the axis end are not drawn: one SAA band and one pass are
    expect(svg.match(/class="saa"/g)).toHaveLength(1);
    expect(svg.match(/class="pass"/g)).toHaveLength(1);
  });

  test("upsets over time: a run under an hour gets a minute axis, not a lone '0 h'", () => {
    const svg = upsetTimeline([2, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], 600, [], [], 0.01 * DAY);
    expect(xTitle(svg)).toBe("time since the start of the run (minutes)");
    expect(ticks(svg)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16]);
    expect(svg).not.toMatch(/>0 h</);
    expect(timeAxis(0.01 * DAY)).toEqual({ unit: "min", unitSeconds: 60, step: 2, end: 960 });
    expect(timeAxis(30 * DAY)).toMatchObject({ unit: "h", step: 72, end: 720 * 3600 });
  });

  test("upsets over time: a ten-minute SAA crossing on a 30-day run is a visible band (≥ 3 px, opacity ≥ 0.6)", () => {
    const n = (30 * DAY) / 600;
    const bins = new Array<number>(n).fill(0);
    bins[5] = 1;
    const svg = upsetTimeline(bins, new Array<number>(n).fill(0), 600, [[DAY, DAY + 600]], [], 30 * DAY);
    const band = /<rect class="saa"[^>]*width="([0-9.]+)"[^>]*opacity="([0-9.]+)"/.exec(svg);
    expect(band).not.toBeNull();
    expect(Number(band![1])).toBeGreaterThanOrEqual(3);
    expect(Number(band![2])).toBeGreaterThanOrEqual(0.6);
  });

  test("upsets over time: every key entry has its marks on the plot, and every mark kind its key entry", () => {
    const cases: Array<Parameters<typeof upsetTimeline>> = [
      [[0, 2, 0, 1], [0, 1, 0, 0], 600, [[100, 200]], [[1000, 1200]], 2400],
      [[0, 0, 0, 0], [0, 0, 0, 0], 600, [], [], 2400],
      [[0, 0, 0, 0], [0, 0, 0, 0], 600, [[DAY, DAY + 600]], [[DAY, DAY + 600]], 2400], // both after the run: neither drawn nor keyed
      [[1, 0, 0, 0], [0, 0, 0, 0], 600, [[0, 600]], [], 2400],
    ];
    const kinds = [
      { key: "(blue)", mark: `fill="${COLORS.upset}"` },
      { key: "(red)", mark: 'class="bar exposure"' },
      { key: "SAA crossings", mark: 'class="saa"' },
      { key: "ground passes", mark: 'class="pass"' },
    ];
    for (const c of cases) {
      const svg = upsetTimeline(...c);
      const key = /<text class="key"[^>]*>([^<]*)</.exec(svg)![1]!;
      for (const k of kinds) expect(key.includes(k.key), `${k.key} in ${JSON.stringify(c)}`).toBe(svg.includes(k.mark));
    }
  });
});
