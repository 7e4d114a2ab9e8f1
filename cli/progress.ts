/**
 * Progress on stderr for long commands (`pibkit sim`, `pibkit bench`, and a large file
 * through `digest`, `verify`, `inspect` or `sign` on a terminal: fileProgress). On a terminal
 * one line redrawn in place; otherwise (a log file, `make` in CI) a new line whenever
 * another tenth of the work is done or a few seconds have passed, so a log shows the
 * work advancing without flooding it.
 */

/** Seconds between lines when stderr is not a terminal and the tenths come slowly. */
export const LINE_EVERY_S = 5;
/** Milliseconds between redraws on a terminal. */
const REDRAW_MS = 100;

/**
 * Percentage of `done` out of `total`, one decimal, rounded, never 100 before the
 * end: 3 of 8 is "37.5%", 1 of 3 is "33.3%", 1999 of 2000 "99.9%".
 */
export function percent(done: number, total: number): string {
  if (total <= 0 || done >= total) return "100%";
  let p = Math.round((done * 1000) / total) / 10;
  if (p >= 100) p = 99.9;
  return `${Number.isInteger(p) ? p.toFixed(0) : p.toFixed(1)}%`;
}

export interface ProgressOptions {
  /** Where text goes (process.stderr.write). */
  write: (text: string) => void;
  /** Redraw one line in place (a terminal) or append lines. */
  tty: boolean;
  /** Monotonic milliseconds; injectable for tests. */
  now?: () => number;
  /** Off a terminal, a line for every update (few, slow steps) instead of per tenth or few seconds. */
  everyUpdate?: boolean;
}

/**
 * A reporter: `update(done, total, what)` after each item; `what` names the unit
 * ("3/8 bundles") or the step. Returns the function to call.
 */
export function progressReporter(label: string, o: ProgressOptions): (done: number, total: number, what: string) => void {
  const now = o.now ?? (() => performance.now());
  const start = now();
  let lastAt = -Infinity;
  let lastTenth = -1;
  let width = 0;
  return (done, total, what) => {
    const t = now();
    const end = done >= total;
    const tenth = total > 0 ? Math.floor((done * 10) / total) : 10;
    const elapsed = Math.round((t - start) / 1000);
    const text = `${label}: ${what} (${percent(done, total)}${elapsed > 0 ? `, ${elapsed} s` : ""})`;
    if (o.tty) {
      if (!end && t - lastAt < REDRAW_MS) return;
      lastAt = t;
      o.write(`\r${text.padEnd(width)}${end ? "\n" : ""}`);
      width = end ? 0 : text.length;
      return;
    }
    if (!end && !o.everyUpdate && tenth === lastTenth && t - lastAt < LINE_EVERY_S * 1000) return;
    lastTenth = tenth;
    lastAt = t;
    o.write(text + "\n");
  };
}

/** A file shows its progress once this many octets have been read and this long has passed since (seconds shown count from there). */
export const FILE_PROGRESS_FROM_BYTES = 256 * 1048576;
export const FILE_PROGRESS_AFTER_MS = 1000;

const mib = (n: number) => `${(n / 1048576).toFixed(0)} MiB`;

/**
 * Progress through one large file, for a terminal only (a log or a pipe gets nothing:
 * scripts compare stderr): `tick(pos)` after each piece read, `end()` when the file is
 * done. Nothing is drawn before FILE_PROGRESS_AFTER_MS, so a file read in a second never
 * shows a line; once shown, the line ends with the file.
 */
export function fileProgress(label: string, name: string, size: number, o: ProgressOptions): { tick: (pos: number) => void; end: () => void } {
  const now = o.now ?? (() => performance.now());
  const start = now();
  const report = progressReporter(label, { ...o, now });
  let shown = false;
  const tick = (pos: number) => {
    if (!shown && now() - start < FILE_PROGRESS_AFTER_MS) return;
    shown = true;
    report(Math.min(pos, size - 1), size, `${name}: ${mib(pos)} of ${mib(size)}`);
  };
  return { tick, end: () => shown && report(size, size, `${name}: ${mib(size)}`) };
}
