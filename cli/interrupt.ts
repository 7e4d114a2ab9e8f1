/**
 * Temporary files removed when a command is interrupted: Ctrl-C (SIGINT), `kill`
 * (SIGTERM) or a closed terminal (SIGHUP) in the middle of `sign` or `make-bundle` must
 * not leave a half-written OUT beside OUT (cli/outFile.ts) or a copy of stdin in the
 * temporary folder (cli/stream.ts `spoolInput`), each as large as the bundle.
 *
 * The handlers are installed with the first temporary file and run when the event loop
 * turns: every loop that copies a file therefore yields now and then (`breathe`), so
 * an interrupt takes effect within one stretch of copying. After removing the files
 * the handler removes itself and raises the signal again, so the process ends as the
 * signal would have ended it (a shell sees 130 for Ctrl-C).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileErrorText, usageError } from "./cliError.js";

const temps = new Set<string>();
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
let installed = false;

function onSignal(signal: NodeJS.Signals): void {
  for (const path of temps) rmSync(path, { recursive: true, force: true });
  temps.clear();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}

/**
 * Installs the handlers, once. Before a temporary file is made, never after: a signal
 * between the two would find the default action, which ends the process at once and
 * leaves the file behind. (The handler itself runs only when the event loop turns, so
 * a path added in the same synchronous stretch as its making is always in `temps`.)
 */
function install(): void {
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}

/** `path` (a file or a folder, not made yet) is removed if the command is interrupted before `forget(path)`. */
export function removeOnInterrupt(path: string): void {
  install();
  temps.add(path);
}

/** A new folder in the temporary folder (its name begins `prefix`), removed if the command is interrupted before `forget`. */
export function tempDirRemovedOnInterrupt(prefix: string): string {
  install();
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), prefix));
  } catch (e) {
    usageError(`cannot make a temporary folder in ${tmpdir()}: ${fileErrorText(e)}; TMPDIR names where (unset, /tmp)`);
  }
  temps.add(dir);
  return dir;
}

/** `path` is no longer the handler's to remove (renamed into place, or removed already). */
export function forget(path: string): void {
  temps.delete(path);
}

/** Octets a copying loop moves between two chances for an interrupt to be handled. */
export const BREATHE_EVERY = 16 << 20;

/** Lets the event loop turn (and a pending interrupt run its handler). */
export function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
