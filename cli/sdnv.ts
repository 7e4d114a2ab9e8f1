/** Placeholder until the issue that owns this command lands it. */
import { usageError } from "./common.js";

export function run(_argv: string[]): number {
  usageError("not implemented yet");
}
