/**
 * Progress lines for long test files. Vitest's default reporter prints a file's
 * tests only when the whole file has finished, so a file that runs for minutes looks
 * hung; console output, by contrast, is streamed at once under whatever reporters
 * the command line chose. A file calls `step(what)` after each piece of work; a line
 * is printed when at least `everyMs` have passed since the previous one (the first
 * after `everyMs` from the start), so quick files stay silent and long ones show
 * where they are. Wall time decides only when to print, never whether a test passes.
 */
export function progress(label: string, total: number, everyMs = 10_000): (what: string) => void {
  const start = Date.now();
  let last = start;
  let done = 0;
  return (what: string) => {
    done++;
    const now = Date.now();
    if (now - last < everyMs && done < total) return;
    if (done === total && now - start < everyMs) return;
    last = now;
    console.log(`${label}: ${done}/${total} done after ${Math.round((now - start) / 1000)} s (last: ${what})`);
  };
}
