/**
 * The size report as an SVG chart (`pibkit size --svg FILE`): code bytes on one scale,
 * static RAM on one scale, free share per board on a percent scale, each bar with its
 * budget and goal markers, and a legend of what was drawn.
 */
import type { BudgetRow } from "./budgets.js";
import type { SizeReport } from "./rows.js";

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function thousands(v: number): string {
  return Math.round(v).toLocaleString("en-US");
}

/** A linear scale from 0 to a round maximum with 4–8 round ticks. */
export function niceScale(max: number): { max: number; step: number } {
  const raw = Math.max(max, 1) / 6;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * p).find((s) => s >= raw)!;
  return { max: Math.ceil(max / step) * step, step };
}

/** Colours of the chart and what each means; the legend lists only those drawn. */
export const SVG_COLOURS = {
  plain: { fill: "#4a6fa5", label: "no budget on this row (information)" },
  within: { fill: "#3d9a5f", label: "within its budget" },
  over: { fill: "#c8402f", label: "over its budget, or does not fit" },
  gzip: { fill: "#a9c4e4", label: "thin bar under a code bar: gzip bytes (information)" },
  ramUpload: { fill: "#b9b9b9", label: "thin bar under a board bar: the same uploaded to RAM on Espruino (code text in JsVars)" },
} as const;
export const SVG_MARKERS = {
  budget: { stroke: "#111111", dash: "", label: "budget (ceiling ≤ or floor ≥): past it fails the command" },
  goal: { stroke: "#e07b00", dash: "5,3", label: "goal (information when marked so in targets/size/budgets.json)" },
} as const;

/**
 * The SVG chart: code size of every module and firmware on one bytes axis, static RAM
 * of every firmware on one RAM axis, the on-board path's free share per board on a
 * percent axis; budget and goal markers on each bar that has them; a legend of the
 * colours drawn. Bars carry data-quantity and data-value, so one scale per quantity can
 * be checked.
 */
export function reportSvg(r: SizeReport): string {
  const engines = r.engines !== false;
  const W = 1100;
  const left = 170;
  const plotW = 620;
  const parts: string[] = [];
  const usedFills = new Set<keyof typeof SVG_COLOURS>();
  const usedMarkers = new Set<keyof typeof SVG_MARKERS>();
  const budget = (id: string): BudgetRow | undefined => r.budgets.find((b) => b.id === id);
  let y = 16;
  const title = (text: string, size = 15): void => {
    parts.push(`<text x="10" y="${y + size}" font-size="${size}" font-weight="bold">${esc(text)}</text>`);
    y += size + 10;
  };
  const note = (text: string): void => {
    parts.push(`<text x="10" y="${y + 11}" font-size="11" fill="#444">${esc(text)}</text>`);
    y += 15;
  };
  type Scale = { quantity: string; max: number; step: number; px: (v: number) => number };
  const scale = (quantity: string, max: number): Scale => {
    const s = niceScale(max);
    return { quantity, ...s, px: (v: number) => (Math.max(0, Math.min(v, s.max)) / s.max) * plotW };
  };
  const bar = (sc: Scale, series: string, key: keyof typeof SVG_COLOURS, value: number, by: number, h: number): number => {
    usedFills.add(key);
    const w = sc.px(value);
    parts.push(`<rect class="bar" data-quantity="${sc.quantity}" data-series="${series}" data-value="${value}" x="${left}" y="${by}" width="${w.toFixed(2)}" height="${h}" fill="${SVG_COLOURS[key].fill}"/>`);
    return w;
  };
  /** a budget (solid) or goal (dashed) line at `value` on `sc`, from y1 down to y2 */
  const marker = (kind: keyof typeof SVG_MARKERS, id: string, value: number, sc: Scale, y1: number, y2: number): void => {
    usedMarkers.add(kind);
    const m = SVG_MARKERS[kind];
    const x = (left + sc.px(value)).toFixed(2);
    parts.push(`<line class="marker ${kind}" data-id="${esc(id)}" data-value="${value}" x1="${x}" y1="${y1}" x2="${x}" y2="${y2}" stroke="${m.stroke}" stroke-width="2"${m.dash ? ` stroke-dasharray="${m.dash}"` : ""}/>`);
  };
  /** a bar's budget and, where it differs, its goal, across the bar and 2 px beyond */
  const markers = (sc: Scale, b: BudgetRow | undefined, y0: number, h: number): void => {
    if (!b) return;
    const lim = b.max ?? b.min;
    if (lim !== undefined) marker("budget", b.id, lim, sc, y0 - 2, y0 + h + 2);
    if (b.goal !== undefined && b.goal !== lim) marker("goal", b.id, b.goal, sc, y0 - 2, y0 + h + 2);
  };
  const status = (b: BudgetRow | undefined, fallback: keyof typeof SVG_COLOURS): keyof typeof SVG_COLOURS =>
    !b || !b.checked || (b.max === undefined && b.min === undefined) ? fallback : b.ok ? "within" : "over";
  const label = (text: string, x: number, ly: number): void => {
    parts.push(`<text x="${(left + x + 6).toFixed(1)}" y="${ly}" font-size="11">${esc(text)}</text>`);
  };
  /** a byte bar's figure with its ceiling and its goal (a goal equal to the ceiling once), right of the bar or of its furthest marker */
  const barLabel = (sc: Scale, value: number, w: number, b: BudgetRow | undefined, ly: number): void => {
    const lim = b?.max !== undefined ? ` / budget ≤ ${thousands(b.max)} B` : "";
    const goal = b?.goal !== undefined && b.goal !== b.max ? `, goal ≤ ${thousands(b.goal)} B` : "";
    label(`${thousands(value)} B${lim}${goal}`, Math.max(w, b?.max !== undefined ? sc.px(b.max) : 0, b?.goal !== undefined ? sc.px(b.goal) : 0), ly);
  };
  /** the ceilings and goals of the budgets whose ids run from `prefix` to `suffix` (so a scale reaches them) */
  const limits = (prefix: string, suffix: string): number[] =>
    r.budgets.filter((b) => b.id.startsWith(prefix) && b.id.endsWith(suffix)).flatMap((b) => [b.max ?? 0, b.goal ?? 0]);
  const rowLabel = (text: string, ly: number): void => {
    parts.push(`<text x="${left - 8}" y="${ly}" font-size="12" text-anchor="end">${esc(text)}</text>`);
  };
  /** gridlines from `top` down to the axis at `y`, ticks with units, and the axis title */
  const axis = (sc: Scale, top: number, unit: (v: number) => string, axisTitle: string): void => {
    parts.push(`<g class="axis" data-quantity="${sc.quantity}" data-max="${sc.max}" data-step="${sc.step}">`);
    parts.push(`<line class="axis-line" x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#333"/>`);
    parts.push(`<line class="axis-line" x1="${left}" y1="${top}" x2="${left}" y2="${y}" stroke="#333"/>`);
    for (let v = 0; v <= sc.max + 1e-9; v += sc.step) {
      const x = (left + sc.px(v)).toFixed(2);
      if (v > 0) parts.push(`<line class="grid" x1="${x}" y1="${top}" x2="${x}" y2="${y}" stroke="#ddd"/>`);
      parts.push(`<line class="tick-mark" x1="${x}" y1="${y}" x2="${x}" y2="${y + 4}" stroke="#333"/>`);
      parts.push(`<text class="tick" data-value="${v}" x="${x}" y="${y + 16}" font-size="10" text-anchor="middle">${esc(unit(v))}</text>`);
    }
    parts.push(`<text class="axis-title" x="${left + plotW / 2}" y="${y + 32}" font-size="12" text-anchor="middle">${esc(axisTitle)}</text>`);
    parts.push(`</g>`);
    y += 44;
  };
  // grid lines go under the bars: sections are drawn into their own list, the grid first
  const section = (draw: () => void): void => {
    const before = parts.length;
    draw();
    const drawn = parts.splice(before);
    const axisAt = drawn.findIndex((p) => p.startsWith('<g class="axis"'));
    const axisEnd = drawn.indexOf("</g>", axisAt);
    if (axisAt < 0) { parts.push(...drawn); return; }
    parts.push(...drawn.slice(axisAt, axisEnd + 1), ...drawn.slice(0, axisAt), ...drawn.slice(axisEnd + 1));
  };

  /** an engine section under --no-engines */
  const notMeasured = (): void => {
    note("not measured: run pibkit size without --no-engines");
    y += 10;
  };
  const inBytes = (v: number): string => `${thousands(v)} B`;
  const CODE_AXIS = "bytes of the Espruino file, minified (thin bar: gzip)";

  title("pibkit firmware size and RAM", 17);
  note(`figures: bytes measured on the built Espruino files; RAM measured in QuickJS${engines ? "" : " (NOT measured: --no-engines)"}; free shares per board estimated`);
  y += 6;

  // code size: modules and firmware files on one bytes scale
  const bytes = scale("bytes", Math.max(...r.modules.map((m) => m.espruino.bytes), ...r.features.map((f) => f.espruino.bytes), ...limits("espruino.", ".bytes")));
  title("Code: what each module adds to the ground library (Espruino file)", 13);
  section(() => {
    const top = y;
    for (const m of r.modules) {
      rowLabel(m.module, y + 13);
      const w = bar(bytes, "minified", "plain", m.espruino.bytes, y + 2, 9);
      bar(bytes, "gzip", "gzip", m.espruino.gzip, y + 11, 6);
      label(`${thousands(m.espruino.bytes)} B (gzip ${thousands(m.espruino.gzip)} B)`, w, y + 12);
      y += 22;
    }
    axis(bytes, top, inBytes, CODE_AXIS);
  });
  title("Code: firmware files (Espruino file, the same scale)", 13);
  section(() => {
    const top = y;
    for (const f of r.features) {
      const b = budget(`espruino.${f.feature}.bytes`);
      rowLabel(f.feature, y + 13);
      const w = bar(bytes, "minified", status(b, "plain"), f.espruino.bytes, y + 2, 9);
      bar(bytes, "gzip", "gzip", f.espruino.gzip, y + 11, 6);
      markers(bytes, b, y + 2, 15);
      barLabel(bytes, f.espruino.bytes, w, b, y + 12);
      y += 22;
    }
    axis(bytes, top, inBytes, CODE_AXIS);
  });

  // static RAM: one RAM scale for every firmware
  title("Static RAM: ArrayBuffer octets of the start-up objects, per firmware", 13);
  if (!engines) notMeasured();
  else {
    const ram = scale("ram-bytes", Math.max(...r.features.map((f) => f.bufferBytes), ...limits("ram.", ".buffers")));
    section(() => {
      const top = y;
      for (const f of r.features) {
        const b = budget(`ram.${f.feature}.buffers`);
        rowLabel(f.feature, y + 12);
        const w = bar(ram, "buffers", status(b, "plain"), f.bufferBytes, y + 3, 12);
        markers(ram, b, y + 3, 12);
        barLabel(ram, f.bufferBytes, w, b, y + 13);
        y += 20;
      }
      y += 4;
      axis(ram, top, inBytes, "bytes of RAM (typed-array octets, measured in QuickJS)");
    });
  }

  // boards: the on-board path's free share on a percent scale
  title("Free memory per board: the on-board path (pib-path) + a 4 KiB bundle buffer (estimates)", 13);
  if (!engines) notMeasured();
  else {
    const pct: Scale = { quantity: "percent", max: 100, step: 10, px: (v: number) => (Math.max(0, Math.min(v, 100)) / 100) * plotW };
    section(() => {
      const top = y;
      for (const b of r.boards) {
        const id = b.storage ? `board.${b.board}.storage-free-percent` : `board.${b.board}.headroom-percent`;
        const bud = budget(id) ?? budget(`board.${b.board}.headroom-percent`);
        rowLabel(b.board, y + 12);
        const key = !b.fits ? "over" : status(bud, "plain");
        bar(pct, b.storage ? "storage" : "free", key, b.headroomPercent, y + 3, 11);
        if (b.ramUpload) bar(pct, "ram-upload", b.ramUpload.fits ? "ramUpload" : "over", b.ramUpload.freePercent, y + 14, 4);
        markers(pct, bud, y + 3, 15);
        const ru = b.ramUpload ? budget(`board.${b.board}.ram-upload-free-percent`) : undefined;
        if (ru && ru.min !== undefined) marker("budget", ru.id, ru.min, pct, y + 13, y + 20);
        const text = b.storage && b.ramUpload ? `Storage ${b.storage.freePercent.toFixed(1)} % / RAM upload ${b.ramUpload.freePercent.toFixed(1)} % free` : `${b.headroomPercent.toFixed(1)} % free`;
        label(text + (b.fits ? "" : " — does not fit") + (bud?.min !== undefined ? ` (budget ≥ ${bud.min} %)` : ""), plotW, y + 13);
        y += 24;
      }
      y += 4;
      axis(pct, top, (v) => `${v} %`, "free share of the board's JS memory (Espruino: JsVars, Storage form)");
    });
  }

  // legend: only what was drawn
  y += 4;
  title("Legend", 13);
  parts.push(`<g class="legend">`);
  for (const k of Object.keys(SVG_COLOURS) as Array<keyof typeof SVG_COLOURS>) {
    if (!usedFills.has(k)) continue;
    parts.push(`<g class="legend-item" data-kind="fill" data-colour="${SVG_COLOURS[k].fill}"><rect x="14" y="${y + 2}" width="18" height="10" fill="${SVG_COLOURS[k].fill}"/><text x="40" y="${y + 11}" font-size="11">${esc(SVG_COLOURS[k].label)}</text></g>`);
    y += 16;
  }
  for (const k of Object.keys(SVG_MARKERS) as Array<keyof typeof SVG_MARKERS>) {
    if (!usedMarkers.has(k)) continue;
    const m = SVG_MARKERS[k];
    parts.push(`<g class="legend-item" data-kind="marker" data-marker="${k}" data-colour="${m.stroke}"><line x1="23" y1="${y}" x2="23" y2="${y + 14}" stroke="${m.stroke}" stroke-width="2"${m.dash ? ` stroke-dasharray="${m.dash}"` : ""}/><text x="40" y="${y + 11}" font-size="11">${esc(m.label)}</text></g>`);
    y += 16;
  }
  parts.push(`</g>`);
  const H = y + 12;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">\n<rect width="${W}" height="${H}" fill="white"/>\n${parts.join("\n")}\n</svg>\n`;
}
