/**
 * Progress lines for long test files (loaded for every file by vitest.config.ts's
 * `setupFiles`). Vitest's default reporter prints a file's tests only when the whole
 * file has finished, so a file that runs for a minute looks hung; console output,
 * by contrast, is streamed as it happens under whatever reporters the command line
 * chose (`make test`, `.ci/run`). Once a file has run for EVERY_MS, a line says how
 * many of its tests are done and which one is running, again every EVERY_MS; files
 * that finish sooner print nothing. Wall time decides only when to print, never
 * whether a test passes.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";

const EVERY_MS = 15_000;

interface TaskLike {
  type: string;
  name: string;
  file?: { name: string };
  tasks?: TaskLike[];
  suite?: TaskLike;
}

function countTests(t: TaskLike): number {
  return t.type === "test" ? 1 : (t.tasks ?? []).reduce((n, c) => n + countTests(c), 0);
}

function fullName(t: TaskLike): string {
  const names: string[] = [];
  for (let x: TaskLike | undefined = t; x && x.type !== "file" && x.suite !== x; x = x.suite) if (x.name) names.unshift(x.name);
  return names.join(" > ");
}

let timer: ReturnType<typeof setInterval> | undefined;
let start = 0;
let file = "";
let total = 0;
let done = 0;
let running = "";

beforeAll((suite) => {
  const s = suite as unknown as TaskLike;
  start = Date.now();
  file = s.file?.name ?? s.name;
  total = countTests(s);
  timer = setInterval(() => {
    const secs = Math.round((Date.now() - start) / 1000);
    const now = running ? `; running: ${running.length > 100 ? running.slice(0, 99) + "…" : running}` : "";
    console.log(`progress: ${file}: ${done}/${total} tests done after ${secs} s${now}`);
  }, EVERY_MS);
  timer.unref?.();
});
beforeEach((ctx) => {
  running = fullName(ctx.task as unknown as TaskLike);
});
afterEach(() => {
  done++;
  running = "";
});
afterAll(() => {
  if (timer) clearInterval(timer);
});
