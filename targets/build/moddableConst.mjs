// Post-pass for the Moddable text: module-level bindings become `const`, and enum
// objects frozen. The Moddable linker (xsl) preloads pibkit into flash and can keep a
// module-level binding there only when it is a constant: a `var` or `let` it reports
// ("X: no const") and keeps in RAM, an object it cannot freeze likewise ("X: not
// frozen"). esbuild writes every top-level binding of a bundle as `var` (classes and
// consts included) and a TypeScript enum as `var E=(e=>(…,e))(E||{})`, so nothing
// here is a constant to xsl until this pass.
//
// A `var` becomes `const` when each of its declarators is a plain name with an
// initializer that does not mention it, and no assignment anywhere in the text
// targets that name (a conservative check: a shadowing local of the same name that
// is assigned keeps the `var`). An enum IIFE's `E||{}` becomes `{}` and the result is
// passed through Object.freeze (the enum objects are read-only tables; nothing in
// src/ writes to them); so is a literal table of names that is only ever indexed
// (xsl does not freeze an array itself). Anything else is left as it is, and the test
// (test/moddable-preload.test.ts) names what is left.
import * as acorn from "acorn";
import * as walk from "acorn-walk";

/** Names an assignment target binds (identifiers of a pattern). */
function targetNames(node, out) {
  if (!node) return;
  switch (node.type) {
    case "Identifier":
      out.add(node.name);
      break;
    case "ObjectPattern":
      for (const p of node.properties) targetNames(p.type === "RestElement" ? p.argument : p.value, out);
      break;
    case "ArrayPattern":
      for (const e of node.elements) targetNames(e, out);
      break;
    case "RestElement":
      targetNames(node.argument, out);
      break;
    case "AssignmentPattern":
      targetNames(node.left, out);
      break;
  }
}

/** Every name that is the target of an assignment, an update or a for-in/of head somewhere in the program. */
function assignedNames(ast) {
  const out = new Set();
  walk.full(ast, (n) => {
    if (n.type === "AssignmentExpression") targetNames(n.left, out);
    else if (n.type === "UpdateExpression") targetNames(n.argument, out);
    else if ((n.type === "ForInStatement" || n.type === "ForOfStatement") && n.left.type !== "VariableDeclaration") targetNames(n.left, out);
  });
  return out;
}

/** True when `name` occurs as an identifier inside `node`. */
function mentions(node, name) {
  let found = false;
  walk.full(node, (n) => {
    if (n.type === "Identifier" && n.name === name) found = true;
  });
  return found;
}

/** `(…)(E||{})`: esbuild's TypeScript enum. The `E||{}` argument node, or null. */
function enumSelfArgument(init, name) {
  if (init?.type !== "CallExpression" || init.arguments.length !== 1) return null;
  const a = init.arguments[0];
  if (a.type !== "LogicalExpression" || a.operator !== "||") return null;
  if (a.left.type !== "Identifier" || a.left.name !== name) return null;
  if (a.right.type !== "ObjectExpression" || a.right.properties.length) return null;
  return a;
}

/** A literal array of literals (a table of names). */
function literalTable(init) {
  return init?.type === "ArrayExpression" && init.elements.every((e) => e?.type === "Literal");
}

/** True when every use of `name` in the program is a read of one element, `name[i]` (so freezing the array changes nothing). */
function onlyIndexed(ast, name, decl) {
  let ok = true;
  walk.ancestor(ast, {
    Identifier(n, _state, anc) {
      if (n.name !== name || n === decl) return;
      const parent = anc[anc.length - 2];
      const grand = anc[anc.length - 3];
      const read = parent?.type === "MemberExpression" && parent.object === n && parent.computed;
      const written = grand && ((grand.type === "AssignmentExpression" && grand.left === parent) || (grand.type === "UpdateExpression" && grand.argument === parent));
      if (!read || written) ok = false;
    },
  });
  return ok;
}

/**
 * The module text with its top-level `var`s made `const` where that keeps its meaning,
 * and enum objects frozen. Returns the text and the names left as `var` (with why).
 */
export function moddableConstReport(text) {
  const ast = acorn.parse(text, { ecmaVersion: "latest", sourceType: "module" });
  const assigned = assignedNames(ast);
  const edits = []; // [start, end, replacement]
  const left = [];
  for (const st of ast.body) {
    const decl = st.type === "VariableDeclaration" ? st : st.type === "ExportNamedDeclaration" && st.declaration?.type === "VariableDeclaration" ? st.declaration : null;
    if (!decl || decl.kind === "const") continue;
    const why = [];
    const enumArgs = [];
    const tables = [];
    for (const d of decl.declarations) {
      if (d.id.type !== "Identifier") { why.push("destructuring"); continue; }
      const name = d.id.name;
      if (!d.init) why.push(`${name}: no initializer`);
      else if (assigned.has(name)) why.push(`${name}: assigned`);
      else {
        const self = enumSelfArgument(d.init, name);
        if (self) enumArgs.push([d.init, self]);
        else if (mentions(d.init, name)) why.push(`${name}: initializer mentions it`);
        else if (literalTable(d.init) && onlyIndexed(ast, name, d.id)) tables.push(d.init);
      }
    }
    if (why.length) {
      left.push(...why);
      continue;
    }
    edits.push([decl.start, decl.start + decl.kind.length, "const"]);
    for (const [init, self] of enumArgs) {
      edits.push([init.start, init.start, "Object.freeze("]);
      edits.push([self.start, self.end, "{}"]);
      edits.push([init.end, init.end, ")"]);
    }
    for (const init of tables) {
      edits.push([init.start, init.start, "Object.freeze("]);
      edits.push([init.end, init.end, ")"]);
    }
  }
  edits.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  let out = text;
  for (const [s, e, r] of edits) out = out.slice(0, s) + r + out.slice(e);
  return { text: out, left };
}

/** The module text with constant bindings made `const` and enum objects frozen (see moddableConstReport). */
export function moddableConst(text) {
  return moddableConstReport(text).text;
}
