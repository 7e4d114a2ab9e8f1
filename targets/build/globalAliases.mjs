// Post-minify pass for Espruino-bound text: the typed-array constructors are named 30-odd
// times in the PIB path (`new Uint8Array(…)` …), and esbuild never shortens a global. One
// `var a=Uint8Array,…;` at the top and short names everywhere else saves ~300 bytes of
// source, which Espruino keeps in RAM (docs/firmware.md, "The firmware diet"). Only
// constructors every target engine has (Espruino, XS, QuickJS, Duktape), only when the
// program never binds that name itself, and only where the alias is shorter overall.
import * as acorn from "acorn";
import * as walk from "acorn-walk";

const CONSTRUCTORS = ["Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array"];

/** Identifiers that appear nowhere in the program, shortest first. */
function* freshNames(ast) {
  const used = new Set();
  walk.full(ast, (n) => {
    if (n.type === "Identifier") used.add(n.name);
  });
  const chars = "$_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  for (const a of chars) if (!used.has(a)) yield a;
  for (const a of chars) for (const b of chars) if (!used.has(a + b)) yield a + b;
}

/** Names the program binds anywhere (declarations, parameters, catch clauses). */
function boundNames(ast) {
  const bound = new Set();
  const pattern = (p) => {
    if (p && p.type === "Identifier") bound.add(p.name);
  };
  walk.full(ast, (n) => {
    if (n.type === "VariableDeclarator") pattern(n.id);
    if ((n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ClassDeclaration" || n.type === "ClassExpression") && n.id) pattern(n.id);
    if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression") n.params.forEach(pattern);
    if (n.type === "CatchClause") pattern(n.param);
    if (n.type === "ImportSpecifier" || n.type === "ImportDefaultSpecifier" || n.type === "ImportNamespaceSpecifier") pattern(n.local);
  });
  return bound;
}

/** Rewrites minified ES module text; returns it unchanged when nothing pays off. */
export function globalAliases(text) {
  const ast = acorn.parse(text, { ecmaVersion: "latest", sourceType: "module" });
  const bound = boundNames(ast);
  const refs = {};
  walk.ancestor(ast, {
    Identifier(n, _state, anc) {
      if (!CONSTRUCTORS.includes(n.name) || bound.has(n.name)) return;
      const p = anc[anc.length - 2];
      if (p && p.type === "MemberExpression" && p.property === n && !p.computed) return;
      if (p && (p.type === "Property" || p.type === "MethodDefinition" || p.type === "PropertyDefinition") && p.key === n && !p.computed) return;
      if (p && (p.type === "ExportSpecifier")) return;
      (refs[n.name] ??= []).push(n);
    },
  });
  const names = freshNames(ast);
  const decls = [];
  const edits = [];
  for (const c of CONSTRUCTORS) {
    const r = refs[c];
    if (!r) continue;
    const alias = names.next().value;
    const saved = r.length * (c.length - alias.length) - (alias.length + c.length + 2);
    if (saved <= 0) continue;
    decls.push(`${alias}=${c}`);
    for (const n of r) edits.push([n.start, n.end, alias]);
  }
  if (!decls.length) return text;
  edits.sort((a, b) => b[0] - a[0]);
  let out = text;
  for (const [s, e, r] of edits) out = out.slice(0, s) + r + out.slice(e);
  return `var ${decls.join(",")};` + out;
}
