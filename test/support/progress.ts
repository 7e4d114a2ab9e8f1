/**
 * Progress lines for long test files. Vitest's default reporter prints a file's tests
 * only when the whole file has finished, so a file that runs for a minute looks hung.
 * This reporter runs in vitest's main process, next to whatever reporters the command
 * line chose (`make test`, `.ci/run`: `progressPlugin` adds it in `configureVitest`,
 * after the command line's `--reporter` list has replaced the config's), and keeps its
 * own clock, so it prints even while a worker is busy in a synchronous call: once a
 * file has run for EVERY_MS, a line says how many of its tests are done and which one
 * is running, again every EVERY_MS until it ends. Files that finish sooner print
 * nothing. Wall time decides only when to print, never whether a test passes.
 */
import { relative } from "node:path";
import type { Reporter, TestCase, TestModule, Vitest } from "vitest/node";

const EVERY_MS = 15_000;

interface Running {
  start: number;
  last: number;
  done: number;
  total: number;
  current: string;
}

export class ProgressReporter implements Reporter {
  private vitest: Vitest | undefined;
  private readonly files = new Map<string, Running>();
  private timer: ReturnType<typeof setInterval> | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestModuleQueued(m: TestModule): void {
    const now = Date.now();
    this.files.set(m.moduleId, { start: now, last: now, done: 0, total: 0, current: "" });
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), 1000);
      this.timer.unref();
    }
  }

  onTestModuleCollected(m: TestModule): void {
    const f = this.files.get(m.moduleId);
    if (f) f.total = [...m.children.allTests()].length;
  }

  onTestCaseReady(t: TestCase): void {
    const f = this.files.get(t.module.moduleId);
    if (f) f.current = t.fullName;
  }

  onTestCaseResult(t: TestCase): void {
    const f = this.files.get(t.module.moduleId);
    if (!f) return;
    f.done++;
    if (f.current === t.fullName) f.current = "";
  }

  onTestModuleEnd(m: TestModule): void {
    this.files.delete(m.moduleId);
  }

  onTestRunEnd(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.files.clear();
  }

  private tick(): void {
    const now = Date.now();
    for (const [id, f] of this.files) {
      if (now - f.last < EVERY_MS) continue;
      f.last = now;
      const name = this.vitest ? relative(this.vitest.config.root, id) : id;
      const total = f.total ? `${f.done}/${f.total} tests done` : "loading";
      const cur = f.current ? `; running: ${f.current.length > 100 ? f.current.slice(0, 99) + "…" : f.current}` : "";
      const line = `progress: ${name}: ${total} after ${Math.round((now - f.start) / 1000)} s${cur}`;
      if (this.vitest) this.vitest.logger.log(line);
      else console.log(line);
    }
  }
}

/** A vitest plugin adding ProgressReporter to the reporters, whatever `--reporter` said. */
export function progressPlugin(): { name: string; configureVitest: (ctx: { vitest: Vitest }) => void } {
  return {
    name: "pibkit:progress",
    configureVitest({ vitest }) {
      vitest.config.reporters.push(new ProgressReporter());
    },
  };
}
