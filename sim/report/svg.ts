/**
 * The report's plots as inline SVG strings: no library, no script, no network. Each
 * plot is an <svg data-plot="NAME" role="img"> with a <title>, so a browser test can
 * find every plot and check that it rendered.
 */

export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const W = 760;
const FONT = 'font-family="system-ui, sans-serif" font-size="11"';
export const COLORS = {
  upset: "#3b6ea8",
  exposure: "#d1495b",
  saa: "#f2c14e",
  pass: "#2e933c",
  intact: "#8fbc8f",
  detected: "#3b6ea8",
  missed: "#d1495b",
  "false-alarm": "#f2a541",
  "out-of-memory": "#7d4e9c",
  exposureClass: "#a33b20",
  ram: "#3b6ea8",
  limit: "#d1495b",
};

function open(name: string, title: string, h: number): string {
  return `<svg data-plot="${esc(name)}" role="img" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${h}" viewBox="0 0 ${W} ${h}" ${FONT}><title>${esc(title)}</title>`;
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

export function fmtBytes(n: number): string {
  if (n >= 1 << 30) return (n / (1 << 30)).toFixed(2) + " GiB";
  if (n >= 1 << 20) return (n / (1 << 20)).toFixed(2) + " MiB";
  if (n >= 1 << 10) return (n / (1 << 10)).toFixed(1) + " KiB";
  return n + " B";
}

/**
 * The time axis of a run `span` seconds long: minutes under two hours, else hours, in a
 * step that gives at most ten ticks; the axis ends on the first tick at or after `span`.
 */
export function timeAxis(span: number): { unit: "min" | "h"; unitSeconds: number; step: number; end: number } {
  const minutes = span <= 2 * 3600;
  const unitSeconds = minutes ? 60 : 3600;
  const steps = minutes ? [1, 2, 5, 10, 15, 30] : [1, 2, 3, 6, 12, 24, 48, 72, 96, 168, 336, 720, 1440, 2160, 4320, 8760];
  const inUnits = Math.max(span, 1) / unitSeconds;
  const step = steps.find((k) => inUnits / k <= 10) ?? Math.ceil(inUnits / 10 / 8760) * 8760;
  return { unit: minutes ? "min" : "h", unitSeconds, step, end: Math.ceil(inUnits / step - 1e-9) * step * unitSeconds };
}

/**
 * Upsets per time bin, SAA crossings shaded, ground passes ticked, over the run: from
 * its start to the later of the end of imaging (`runSeconds`) and the last bin with an
 * upset, so a short run is not drawn on the whole days its queue was simulated for.
 */
export function upsetTimeline(bins: number[], exposure: number[], binSeconds: number, saa: Array<[number, number]>, passes: Array<[number, number]>, runSeconds: number): string {
  const h = 250;
  const left = 50, right = 14, top = 20, bottom = 62;
  const pw = W - left - right, ph = h - top - bottom;
  let last = 0;
  bins.forEach((v, i) => { if (v > 0 || (exposure[i] ?? 0) > 0) last = (i + 1) * binSeconds; });
  const axis = timeAxis(Math.max(runSeconds, last));
  const span = axis.end;
  const x = (t: number): number => left + (Math.min(t, span) / span) * pw;
  const max = niceMax(Math.max(1, ...bins));
  const y = (v: number): number => top + ph - (v / max) * ph;
  let s = open("upsets-over-time", "Upsets hitting held bundles over orbit time, SAA crossings shaded", h);
  // SAA bands: at least 3 px wide and strongly tinted, so a ten-minute crossing shows on a long run
  const bands = saa.filter(([a]) => a < span);
  for (const [a, b] of bands) s += `<rect class="saa" x="${x(a).toFixed(1)}" y="${top}" width="${Math.max(3, x(b) - x(a)).toFixed(1)}" height="${ph}" fill="${COLORS.saa}" opacity="0.8"/>`;
  const bw = Math.max(0.8, (binSeconds / span) * pw);
  bins.forEach((v, i) => {
    if (v > 0 && i * binSeconds < span) s += `<rect class="bar" x="${x(i * binSeconds).toFixed(1)}" y="${y(v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(top + ph - y(v)).toFixed(1)}" fill="${COLORS.upset}"/>`;
  });
  exposure.forEach((v, i) => {
    if (v > 0 && i * binSeconds < span) s += `<rect class="bar exposure" x="${x(i * binSeconds).toFixed(1)}" y="${y(v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(top + ph - y(v)).toFixed(1)}" fill="${COLORS.exposure}"/>`;
  });
  const shown = passes.filter(([a]) => a < span);
  for (const [a, b] of shown) s += `<rect class="pass" x="${x(a).toFixed(1)}" y="${top + ph + 4}" width="${Math.max(1, x(b) - x(a)).toFixed(1)}" height="6" fill="${COLORS.pass}"/>`;
  s += `<line x1="${left}" y1="${top + ph}" x2="${left + pw}" y2="${top + ph}" stroke="#333"/><line x1="${left}" y1="${top}" x2="${left}" y2="${top + ph}" stroke="#333"/>`;
  for (let k = 0; k * axis.step * axis.unitSeconds <= span + 1e-9; k++) {
    s += `<text class="tick" x="${x(k * axis.step * axis.unitSeconds).toFixed(1)}" y="${top + ph + 22}" text-anchor="middle">${k * axis.step}</text>`;
  }
  s += `<text class="axis-title" x="${left + pw / 2}" y="${top + ph + 38}" text-anchor="middle">time since the start of the run (${axis.unit === "h" ? "hours" : "minutes"})</text>`;
  s += `<text x="${left - 6}" y="${top + 4}" text-anchor="end">${max}</text><text x="${left - 6}" y="${top + ph}" text-anchor="end">0</text>`;
  s += `<text class="axis-title" transform="translate(12 ${top + ph / 2}) rotate(-90)" text-anchor="middle">upsets / ${binSeconds / 60} min</text>`;
  // the key names only what is drawn: a colour with no mark on the plot would be a puzzle
  const key = bins.some((v, i) => v > 0 && i * binSeconds < span) ? [`upsets per ${binSeconds / 60} min (blue)`] : ["no upset hit a held bundle"];
  if (exposure.some((v, i) => v > 0 && i * binSeconds < span)) key.push("in the exposure window (red)");
  if (bands.length) key.push("SAA crossings (yellow)");
  if (shown.length) key.push("ground passes (green ticks)");
  s += `<text class="key" x="${left}" y="${h - 6}">${esc(key.join("; "))}</text>`;
  return s + "</svg>";
}

export interface BarGroup {
  label: string;
  values: number[];
}

/**
 * The device's RAM high-water mark against every board's RAM, on a log scale (boards
 * span 64 KiB to 64 MiB): green where the high-water mark fits, red where it does not.
 */
export function ramPerBoard(highWater: number, runBoard: string, boards: Array<{ board: string; ramBytes: number }>): string {
  const rowH = 22, left = 250, right = 90, top = 34;
  const rows = [{ label: `high-water (${runBoard})`, v: highWater, color: COLORS.ram }].concat(
    boards.map((b) => ({ label: b.board + (b.board === runBoard ? " (this run)" : ""), v: b.ramBytes, color: b.ramBytes >= highWater ? COLORS.pass : COLORS.limit })),
  );
  const h = top + rows.length * rowH + 42;
  const pw = W - left - right;
  const lo = 10, hi = Math.max(lo + 1, Math.ceil(Math.log2(Math.max(...rows.map((r) => Math.max(1, r.v))))));
  const x = (v: number): number => left + ((Math.log2(Math.max(1 << lo, v)) - lo) / (hi - lo)) * pw;
  let s = open("ram-high-water", "RAM high-water mark of the device against each board's RAM (log scale)", h);
  // legend: only the colours drawn, the high-water bar and its dashed line included
  const keys: Array<[string, string]> = [[COLORS.ram, "this run's high-water mark (dashed line)"]];
  if (rows.some((r, i) => i > 0 && r.color === COLORS.pass)) keys.push([COLORS.pass, "board RAM: fits"]);
  if (rows.some((r, i) => i > 0 && r.color === COLORS.limit)) keys.push([COLORS.limit, "board RAM: too small"]);
  let kx = 100;
  for (const [color, label] of keys) {
    s += `<rect class="key" x="${kx}" y="8" width="10" height="10" fill="${color}"/><text x="${kx + 14}" y="17">${esc(label)}</text>`;
    kx += 14 + label.length * 6.2 + 16;
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    s += `<text x="${left - 8}" y="${y + 14}" text-anchor="end">${esc(r.label)}</text>`;
    s += `<rect class="bar" x="${left}" y="${y + 3}" width="${Math.max(0.8, x(r.v) - left).toFixed(1)}" height="${rowH - 7}" fill="${r.color}"><title>${esc(r.label)}: ${esc(fmtBytes(r.v))}</title></rect>`;
    s += `<text x="${(x(r.v) + 6).toFixed(1)}" y="${y + 14}">${esc(fmtBytes(r.v))}</text>`;
  });
  const hw = x(highWater);
  s += `<line x1="${hw.toFixed(1)}" y1="${top}" x2="${hw.toFixed(1)}" y2="${top + rows.length * rowH}" stroke="${COLORS.ram}" stroke-dasharray="4 3"/>`;
  const step = hi - lo > 12 ? 3 : 2;
  const base = top + rows.length * rowH;
  s += `<line class="axis-line" x1="${left}" y1="${base}" x2="${left + pw}" y2="${base}" stroke="#333"/>`;
  for (let p = lo; p <= hi; p += step) {
    s += `<line class="tick-mark" x1="${x(2 ** p).toFixed(1)}" y1="${base}" x2="${x(2 ** p).toFixed(1)}" y2="${base + 4}" stroke="#333"/>`;
    s += `<text x="${x(2 ** p).toFixed(1)}" y="${base + 16}" text-anchor="middle">${esc(fmtBytes(2 ** p))}</text>`;
  }
  s += `<text class="axis-title" x="${left + pw / 2}" y="${base + 32}" text-anchor="middle">RAM, bytes (log scale: each tick ×${2 ** step})</text>`;
  return s + "</svg>";
}

/** Horizontal stacked bars, one row per group, with a legend. */
export function stackedBars(name: string, title: string, groups: BarGroup[], series: Array<{ label: string; color: string }>, unit: (v: number) => string): string {
  const rowH = 26, left = 250, right = 90, top = 30;
  const h = top + groups.length * rowH + 20;
  const pw = W - left - right;
  const max = Math.max(1, ...groups.map((g) => g.values.reduce((a, b) => a + b, 0)));
  let s = open(name, title, h);
  let lx = left;
  // the legend names the series drawn (a class with no bundle has no colour on the plot; the table lists every class)
  series.forEach((se, si) => {
    if (!groups.some((g) => (g.values[si] ?? 0) > 0)) return;
    s += `<rect class="key" x="${lx}" y="8" width="10" height="10" fill="${se.color}"/><text x="${lx + 14}" y="17">${esc(se.label)}</text>`;
    lx += 16 + se.label.length * 6.2 + 10;
  });
  groups.forEach((g, gi) => {
    const y = top + gi * rowH;
    s += `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(g.label)}</text>`;
    let at = left;
    g.values.forEach((v, i) => {
      if (v <= 0) return;
      const w = (v / max) * pw;
      s += `<rect class="bar" x="${at.toFixed(1)}" y="${y + 3}" width="${Math.max(0.8, w).toFixed(1)}" height="${rowH - 8}" fill="${series[i]!.color}"><title>${esc(series[i]!.label)}: ${esc(unit(v))}</title></rect>`;
      at += w;
    });
    const total = g.values.reduce((a, b) => a + b, 0);
    s += `<text x="${(at + 6).toFixed(1)}" y="${y + 15}">${esc(unit(total))}</text>`;
  });
  s += `<line x1="${left}" y1="${top - 2}" x2="${left}" y2="${top + groups.length * rowH}" stroke="#333"/>`;
  return s + "</svg>";
}
