/**
 * Source checks: a TypeScript file compiled to JS by esbuild and parsed with acorn, and
 * the functions in it by the name they are known by (faults.test.ts, keys.test.ts).
 */
import { readFileSync } from "node:fs";
import * as acorn from "acorn";
import * as walk from "acorn-walk";
import { transformSync } from "esbuild";

/** A .ts file as an acorn Program (types stripped by esbuild, ES2022 module). */
export function parseTs(file: string): acorn.Program {
  const js = transformSync(readFileSync(file, "utf8"), { loader: "ts", format: "esm", target: "es2022" }).code;
  return acorn.parse(js, { ecmaVersion: 2022, sourceType: "module" });
}

export type Fn = acorn.Function;

/** Name a function node is known by: declaration, `const name = (…) =>`, method or property. */
export function namedFunctions(ast: acorn.Node): Map<string, Fn[]> {
  const out = new Map<string, Fn[]>();
  const add = (name: string | undefined, fn: acorn.Node | null | undefined): void => {
    if (!name || !fn || !/Function/.test(fn.type)) return;
    out.set(name, [...(out.get(name) ?? []), fn as Fn]);
  };
  walk.full(ast, (n) => {
    if (n.type === "FunctionDeclaration") add((n as acorn.FunctionDeclaration).id?.name, n);
    if (n.type === "VariableDeclarator") {
      const d = n as acorn.VariableDeclarator;
      if (d.id.type === "Identifier") add(d.id.name, d.init);
    }
    if (n.type === "AssignmentExpression") {
      const a = n as acorn.AssignmentExpression;
      if (a.left.type === "Identifier") add(a.left.name, a.right);
      if (a.left.type === "MemberExpression" && a.left.property.type === "Identifier") add(a.left.property.name, a.right);
    }
    if (n.type === "MethodDefinition" || n.type === "Property") {
      const m = n as acorn.MethodDefinition | acorn.Property;
      if (m.key.type === "Identifier") add(m.key.name, m.value);
    }
  });
  return out;
}
