// Post-minify pass for Espruino-bound text: in a class method that reads `this` often,
// read it once into a one-letter local (`let $=this;`) and use that instead. esbuild
// shortens locals but never `this`, and Espruino keeps (and, while the module's top
// level runs, holds twice) the source text — so each `this.` costs 5 bytes of RAM where
// a local costs 2 (docs/firmware.md, "The firmware diet"). src/ does the same by hand
// (`const self = this`) in its hottest methods; this covers the rest, constructors
// above all, where TypeScript's definite-assignment check wants `this.x = …`.
// Skipped: methods that call super() (no `this` before it), and `this` inside nested
// non-arrow functions or classes (a different `this`). Arrow functions share it.
import * as acorn from "acorn";
import * as walk from "acorn-walk";

/** Fewest `this` reads for which `let N=this;` (11 bytes) pays off at 3 bytes saved each. */
const MIN_READS = 4;

/** An identifier that appears nowhere in the program (so it can shadow nothing). */
function freshName(ast) {
  const used = new Set();
  walk.full(ast, (n) => {
    if (n.type === "Identifier") used.add(n.name);
  });
  const chars = "$_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (const a of chars) if (!used.has(a)) return a;
  for (const a of chars) for (const b of chars) if (!used.has(a + b)) return a + b;
  throw new Error("localThis: no free identifier");
}

/** The `this` expressions of a method body that refer to the method's own `this`, or null when it calls super(). */
function thisReads(body) {
  const out = [];
  let hasSuper = false;
  const visit = (node) => {
    if (!node || typeof node.type !== "string") return;
    if (node.type === "FunctionExpression" || node.type === "FunctionDeclaration" || node.type === "ClassExpression" || node.type === "ClassDeclaration") return;
    if (node.type === "ThisExpression") out.push(node);
    if (node.type === "Super") hasSuper = true;
    for (const k of Object.keys(node)) {
      const v = node[k];
      if (Array.isArray(v)) v.forEach(visit);
      else if (v && typeof v.type === "string") visit(v);
    }
  };
  body.body.forEach(visit);
  return hasSuper ? null : out;
}

/** Rewrites minified ES module text; returns it unchanged when nothing pays off. */
export function localThis(text) {
  const ast = acorn.parse(text, { ecmaVersion: "latest", sourceType: "module" });
  const name = freshName(ast);
  const edits = []; // [start, end, replacement]
  walk.full(ast, (n) => {
    if (n.type !== "MethodDefinition") return;
    const body = n.value.body;
    const reads = thisReads(body);
    if (!reads || reads.length < MIN_READS) return;
    edits.push([body.start + 1, body.start + 1, `let ${name}=this;`]);
    for (const t of reads) edits.push([t.start, t.end, name]);
  });
  // from the end backwards; at one position the replacement first, then the insertion before it
  edits.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  let out = text;
  for (const [s, e, r] of edits) out = out.slice(0, s) + r + out.slice(e);
  return out;
}
