// What an external tool (the espruino CLI, mcconfig, …) said went wrong, on one line.
/**
 * The lines of a tool's output that say what went wrong (its thrown error
 * first), joined on one line: not its stack frames, source excerpt or Node banner.
 */
export function toolError(text) {
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const noise = (l) => /^at /.test(l) || /^Node\.js v\d/.test(l) || /^\^+$/.test(l) || /^Emitted 'error' event/.test(l) || /^[{}]/.test(l) || /^\w+: .*,$/.test(l);
  const useful = lines.filter((l) => !noise(l) && /error|ENOENT|EACCES|EBUSY|ENOTFOUND|not found|cannot|unable|failed|timed? ?out/i.test(l));
  useful.sort((a, b) => Number(/^\w*Error:/.test(b)) - Number(/^\w*Error:/.test(a)));
  const picked = [...new Set(useful)].slice(0, 3);
  if (picked.length === 0) picked.push(lines.filter((l) => !noise(l)).pop() ?? "no output");
  return picked.join("; ");
}
