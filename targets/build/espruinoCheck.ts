/**
 * The Espruino language check: an AST walk (acorn) over the exact file that goes to
 * the board, failing on everything found missing or
 * broken on Espruino 2v20+ (the table below). Espruino parses a function body only when it runs, so a
 * `**` in a rarely used path loads fine and fails in orbit; only a whole-file check
 * (or calling every path) finds it.
 *
 * Each rule has an id; test/espruino-check.test.ts proves every rule fires on a
 * minimal example and stays quiet on the allowed form.
 */
import { parse } from "acorn";
import { ancestor as walkAncestor, base as walkBase } from "acorn-walk";

export interface Violation {
  rule: string;
  message: string;
  line: number;
  column: number;
  snippet: string;
}

/** Rule ids and what they mean (the report prints these). */
export const RULES: Record<string, string> = {
  parse: "file does not parse as an ES2015+ script (module syntax or a syntax error)",
  label: "labelled statement (Espruino has no labels)",
  exponent: "`**` operator (Espruino lacks it)",
  "optional-chain": "`?.` optional chaining (Espruino lacks it)",
  nullish: "`??` nullish coalescing (lower it; not in the src/ language subset)",
  "logical-assign": "`||=` / `&&=` / `??=` logical assignment",
  destructuring: "destructuring pattern (Espruino lacks it)",
  "default-param": "default parameter value (Espruino lacks it)",
  rest: "rest element / rest parameter (Espruino lacks it)",
  spread: "spread element (Espruino lacks it)",
  "missing-builtin": "built-in Espruino lacks, used without a guard (Math.imul/clz32/trunc/fround, Number.*, Object.freeze, Array.from)",
  "missing-global": "global Espruino lacks (Map, Set, WeakMap, WeakSet, Symbol, BigInt, RangeError, Proxy, Reflect)",
  bigint: "BigInt literal",
  "loop-closure": "closure over a `let`/`const` loop variable (Espruino shares one binding for all iterations)",
  "call-before-declaration": "function used at load time before its declaration (Espruino does not hoist)",
  generator: "generator function or `yield` (Espruino lacks them)",
  async: "async function or `await` (Espruino lacks them)",
  "computed-key": "computed property key in an object literal or class (Espruino lacks it)",
  template: "template literal left in the output (must be lowered)",
  "class-field": "class field, static block or #private member (Espruino lacks them)",
  "optional-catch": "`catch` without a binding",
  "meta-property": "`new.target` / `import.meta`",
  "regexp-question": "regular expression with `?` (the `?` quantifier never matches on Espruino 2v29)",
  "regexp-flag": "regular expression flag other than g/i/m",
  "builtin-prototype-call": "`X.prototype.method.call/apply` on a built-in (breaks on Espruino)",
  "math-pow": "Math.pow (inexact on Espruino: Math.pow(2,53) = 9007199254740986); write the power as a literal",
  "big-literal": "numeric literal at or above 2^53 (Espruino parses it inexactly; at 2^63 it wraps)",
  "nested-super":
    "subclass whose base constructor makes an object of another subclass (Espruino 2v29 keeps the outer class through the inner super(): \"Calling 'super' outside of class\")",
};

/** Built-ins Espruino lacks, by object and member; `*` = every member. */
const MISSING_MEMBERS: Record<string, string[]> = {
  Math: ["imul", "clz32", "trunc", "fround", "sign", "log2", "log10", "cbrt", "hypot", "expm1", "log1p"],
  Number: ["*"],
  Object: ["freeze", "isFrozen", "seal", "isSealed", "preventExtensions", "fromEntries", "getOwnPropertySymbols"],
  Array: ["from", "of"],
};
const MISSING_GLOBALS = new Set(["Map", "Set", "WeakMap", "WeakSet", "WeakRef", "Symbol", "BigInt", "RangeError", "Proxy", "Reflect"]);
const BUILTINS = new Set(["Array", "Object", "String", "Number", "Function", "Math", "Uint8Array", "Int32Array", "Uint32Array", "Uint16Array", "ArrayBuffer", "DataView", "Date", "RegExp", "JSON", "Error", "Boolean"]);

// ESTree nodes are walked generically; acorn's types do not cover every node kind.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyNode = any;

function memberPath(n: AnyNode): string | undefined {
  if (n.type !== "MemberExpression" || n.computed) return undefined;
  if (n.object.type !== "Identifier") return undefined;
  return n.object.name + "." + n.property.name;
}

/** True when the member expression last in `ancestors` (Math.imul-like) sits behind a guard that checks it. */
function isGuarded(ancestors: AnyNode[], path: string, source: string): boolean {
  for (let i = ancestors.length - 2; i >= 0; i--) {
    const a = ancestors[i]!;
    const child = ancestors[i + 1]!;
    if (a.type === "UnaryExpression" && a.operator === "typeof") return true;
    if (a.type === "LogicalExpression" && (a.operator === "||" || a.operator === "??" || a.operator === "&&") && a.left === child) return true;
    if ((a.type === "ConditionalExpression" || a.type === "IfStatement") && a.test === child) return true;
    if ((a.type === "ConditionalExpression" || a.type === "IfStatement") && a.consequent === child) {
      const test = source.slice(a.test.start, a.test.end);
      if (test.includes(path)) return true;
    }
    if (a.type === "LogicalExpression" && a.operator === "&&" && a.right === child) {
      const test = source.slice(a.left.start, a.left.end);
      if (test.includes(path)) return true;
    }
  }
  return false;
}

function declaredNames(ast: AnyNode): Set<string> {
  const names = new Set<string>();
  const addPattern = (p: AnyNode | null): void => {
    if (!p) return;
    if (p.type === "Identifier") names.add(p.name);
    else if (p.type === "ObjectPattern") for (const q of p.properties) addPattern(q.type === "RestElement" ? q.argument : q.value);
    else if (p.type === "ArrayPattern") for (const q of p.elements) addPattern(q);
    else if (p.type === "AssignmentPattern") addPattern(p.left);
    else if (p.type === "RestElement") addPattern(p.argument);
  };
  walkAncestor(ast, {
    VariableDeclarator(n: AnyNode) {
      addPattern(n.id);
    },
    FunctionDeclaration(n: AnyNode) {
      if (n.id) names.add(n.id.name);
      for (const p of n.params) addPattern(p);
    },
    FunctionExpression(n: AnyNode) {
      for (const p of n.params) addPattern(p);
    },
    ArrowFunctionExpression(n: AnyNode) {
      for (const p of n.params) addPattern(p);
    },
    ClassDeclaration(n: AnyNode) {
      if (n.id) names.add(n.id.name);
    },
    CatchClause(n: AnyNode) {
      addPattern(n.param);
    },
  });
  return names;
}

/** Is this Identifier node a variable reference (not a property name / key / label)? */
function isReference(n: AnyNode, parent: AnyNode | undefined): boolean {
  if (!parent) return true;
  if (parent.type === "MemberExpression" && parent.property === n && !parent.computed) return false;
  if ((parent.type === "Property" || parent.type === "MethodDefinition" || parent.type === "PropertyDefinition") && parent.key === n && !parent.computed) {
    return parent.type === "Property" && parent.shorthand;
  }
  if (parent.type === "LabeledStatement" || parent.type === "BreakStatement" || parent.type === "ContinueStatement") return false;
  if ((parent.type === "FunctionDeclaration" || parent.type === "FunctionExpression" || parent.type === "ClassDeclaration" || parent.type === "ClassExpression") && parent.id === n) return false;
  if (parent.type === "VariableDeclarator" && parent.id === n) return false;
  return true;
}

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

/** Names a loop declares with let/const (per-iteration bindings in ES2015, shared on Espruino). */
function loopBindings(loop: AnyNode): string[] {
  const decl = loop.type === "ForStatement" ? loop.init : loop.left;
  if (!decl || decl.type !== "VariableDeclaration" || decl.kind === "var") return [];
  const out: string[] = [];
  for (const d of decl.declarations) if (d.id.type === "Identifier") out.push(d.id.name);
  return out;
}

/** Identifier references inside `fn` to any of `names` that fn does not itself declare. */
function capturesAny(fn: AnyNode, names: string[]): string | undefined {
  const own = declaredNames(fn.body.type === "BlockStatement" ? fn.body : fn);
  for (const p of fn.params) if (p.type === "Identifier") own.add(p.name);
  let found: string | undefined;
  walkAncestor(fn.body, {
    Identifier(n: AnyNode, _s: unknown, anc: AnyNode[]) {
      if (found) return;
      if (names.includes(n.name) && !own.has(n.name) && isReference(n, anc[anc.length - 2])) found = n.name;
    },
  });
  return found;
}

/** Walks `n` without entering function bodies (what runs at load time). */
function walkLoadTime(n: AnyNode, visit: (n: AnyNode, parent: AnyNode | undefined) => void, parent?: AnyNode): void {
  visit(n, parent);
  if (FUNCTION_TYPES.has(n.type)) return;
  if (n.type === "MethodDefinition") return;
  for (const key of Object.keys(n)) {
    if (key === "type" || key === "start" || key === "end" || key === "loc") continue;
    const v = n[key];
    if (Array.isArray(v)) {
      for (const c of v) if (c && typeof c.type === "string") walkLoadTime(c, visit, n);
    } else if (v && typeof v === "object" && typeof v.type === "string") walkLoadTime(v, visit, n);
  }
}

function lineCol(source: string, pos: number): { line: number; column: number } {
  let line = 1;
  let last = 0;
  for (let i = 0; i < pos; i++) if (source.charCodeAt(i) === 10) {
    line++;
    last = i + 1;
  }
  return { line, column: pos - last };
}

/**
 * Checks a script (the exact Espruino file). Returns every violation; an empty
 * array means the file passes.
 */
export function checkEspruinoSource(source: string): Violation[] {
  const out: Violation[] = [];
  const add = (rule: string, node: { start: number; end: number }, extra = ""): void => {
    const lc = lineCol(source, node.start);
    out.push({
      rule,
      message: RULES[rule] + (extra ? ": " + extra : ""),
      line: lc.line,
      column: lc.column,
      snippet: source.slice(Math.max(0, node.start - 20), Math.min(source.length, node.end + 20)).replace(/\s+/g, " ").slice(0, 100),
    });
  };
  let ast: AnyNode;
  try {
    ast = parse(source, { ecmaVersion: "latest", sourceType: "script", allowReturnOutsideFunction: true }) as AnyNode;
  } catch (e) {
    const err = e as { pos?: number; message: string };
    add("parse", { start: err.pos ?? 0, end: err.pos ?? 0 }, err.message);
    return out;
  }
  const declared = declaredNames(ast);

  walkAncestor(
    ast,
    {
      LabeledStatement(n: AnyNode) {
        add("label", n);
      },
      BinaryExpression(n: AnyNode) {
        if (n.operator === "**") add("exponent", n);
      },
      AssignmentExpression(n: AnyNode) {
        if (n.operator === "**=") add("exponent", n);
        if (n.operator === "||=" || n.operator === "&&=" || n.operator === "??=") add("logical-assign", n);
      },
      ChainExpression(n: AnyNode) {
        add("optional-chain", n);
      },
      LogicalExpression(n: AnyNode) {
        if (n.operator === "??") add("nullish", n);
      },
      ObjectPattern(n: AnyNode) {
        add("destructuring", n);
      },
      ArrayPattern(n: AnyNode) {
        add("destructuring", n);
      },
      AssignmentPattern(n: AnyNode) {
        add("default-param", n);
      },
      RestElement(n: AnyNode) {
        add("rest", n);
      },
      SpreadElement(n: AnyNode) {
        add("spread", n);
      },
      MemberExpression(n: AnyNode, _s: unknown, anc: AnyNode[]) {
        const path = memberPath(n);
        if (path) {
          const [obj, prop] = path.split(".") as [string, string];
          const list = MISSING_MEMBERS[obj];
          if (list && (list.includes("*") || list.includes(prop)) && !declared.has(obj) && !isGuarded(anc as AnyNode[], path, source)) {
            add("missing-builtin", n, path);
          }
          if (path === "Math.pow") add("math-pow", n);
        }
        // Builtin.prototype.method.call / .apply
        if (!n.computed && (n.property.name === "call" || n.property.name === "apply")) {
          const m = n.object;
          if (m.type === "MemberExpression" && m.object.type === "MemberExpression" && !m.object.computed && m.object.property.name === "prototype" && m.object.object.type === "Identifier" && BUILTINS.has(m.object.object.name) && !declared.has(m.object.object.name)) {
            add("builtin-prototype-call", n, source.slice(n.start, n.end));
          }
        }
      },
      Identifier(n: AnyNode, _s: unknown, anc: AnyNode[]) {
        if (MISSING_GLOBALS.has(n.name) && !declared.has(n.name) && isReference(n, anc[anc.length - 2] as AnyNode)) {
          const parent = anc[anc.length - 2] as AnyNode | undefined;
          const guarded = parent && parent.type === "UnaryExpression" && parent.operator === "typeof";
          if (!guarded) add("missing-global", n, n.name);
        }
      },
      Literal(n: AnyNode) {
        if (typeof n.bigint === "string") add("bigint", n);
        if (n.regex) {
          if (n.regex.pattern.includes("?")) add("regexp-question", n, "/" + n.regex.pattern + "/");
          if (/[^gim]/.test(n.regex.flags)) add("regexp-flag", n, n.regex.flags);
        }
        if (typeof n.value === "number" && Math.abs(n.value) >= 9007199254740992) add("big-literal", n, n.raw);
      },
      Function(n: AnyNode) {
        if (n.generator) add("generator", n);
        if (n.async) add("async", n);
      },
      YieldExpression(n: AnyNode) {
        add("generator", n);
      },
      AwaitExpression(n: AnyNode) {
        add("async", n);
      },
      Property(n: AnyNode) {
        if (n.computed) add("computed-key", n);
      },
      MethodDefinition(n: AnyNode) {
        if (n.computed) add("computed-key", n);
        if (n.key.type === "PrivateIdentifier") add("class-field", n);
      },
      PropertyDefinition(n: AnyNode) {
        add("class-field", n);
      },
      StaticBlock(n: AnyNode) {
        add("class-field", n);
      },
      TemplateLiteral(n: AnyNode) {
        add("template", n);
      },
      CatchClause(n: AnyNode) {
        if (!n.param) add("optional-catch", n);
      },
      MetaProperty(n: AnyNode) {
        add("meta-property", n);
      },
      ForStatement(n: AnyNode) {
        checkLoopClosure(n);
      },
      ForInStatement(n: AnyNode) {
        checkLoopClosure(n);
      },
      ForOfStatement(n: AnyNode) {
        checkLoopClosure(n);
      },
    },
    walkBase,
  );
  checkNestedSuper();

  /*
   * Classes by name (declarations and `var X = class …`), each with its base's name:
   * a subclass whose base class's constructor, or one of its bases', says `new Y` for a
   * subclass Y breaks on Espruino, which runs Y's super() as if in the outer class.
   */
  function checkNestedSuper(): void {
    const classes = new Map<string, AnyNode>();
    walkAncestor(ast, {
      ClassDeclaration(n: AnyNode) {
        if (n.id) classes.set(n.id.name, n);
      },
      VariableDeclarator(n: AnyNode) {
        if (n.id.type === "Identifier" && n.init && n.init.type === "ClassExpression") classes.set(n.id.name, n.init);
      },
    });
    const baseOf = (c: AnyNode): AnyNode | undefined => (c.superClass && c.superClass.type === "Identifier" ? classes.get(c.superClass.name) : undefined);
    const makesSubclass = (c: AnyNode): string | undefined => {
      const ctor = c.body.body.find((m: AnyNode) => m.type === "MethodDefinition" && m.kind === "constructor");
      let found: string | undefined;
      if (ctor) {
        walkAncestor(ctor.value.body, {
          NewExpression(e: AnyNode) {
            const made = e.callee.type === "Identifier" ? classes.get(e.callee.name) : undefined;
            if (made && made.superClass && !found) found = e.callee.name;
          },
        });
      }
      return found;
    };
    for (const [name, c] of classes) {
      const seen = new Set<AnyNode>();
      for (let b = baseOf(c); b && !seen.has(b); b = baseOf(b)) {
        seen.add(b);
        const made = makesSubclass(b);
        if (made) {
          add("nested-super", c, `${name}'s base constructor makes a ${made}`);
          break;
        }
      }
    }
  }

  function checkLoopClosure(loop: AnyNode): void {
    const names = loopBindings(loop);
    if (!names.length) return;
    const parts = [loop.body, loop.update, loop.test].filter(Boolean) as AnyNode[];
    for (const part of parts) {
      walkAncestor(part, {
        Function(fn: AnyNode) {
          const hit = capturesAny(fn, names);
          if (hit) add("loop-closure", fn, hit);
        },
      });
    }
  }

  // Call before declaration at load time: per scope that runs at load (the program
  // and the bodies of functions invoked immediately at top level, e.g. wrappers).
  checkLoadOrder(ast.body as AnyNode[]);
  for (const st of ast.body as AnyNode[]) {
    // (function(){ ... })() and !function(){}() wrappers run at load too
    const expr = st.type === "ExpressionStatement" ? st.expression : st.type === "VariableDeclaration" ? st.declarations[0]?.init : undefined;
    const call = expr && expr.type === "CallExpression" ? expr : expr && expr.type === "UnaryExpression" && expr.argument.type === "CallExpression" ? expr.argument : undefined;
    if (call && FUNCTION_TYPES.has(call.callee.type) && call.callee.body.type === "BlockStatement") checkLoadOrder(call.callee.body.body);
    if (call && call.callee.type === "MemberExpression" && call.callee.object.type === "Identifier" && call.callee.object.name === "Modules") {
      const fn = call.arguments[1];
      if (fn && FUNCTION_TYPES.has(fn.type) && fn.body.type === "BlockStatement") checkLoadOrder(fn.body.body);
    }
  }

  function checkLoadOrder(body: AnyNode[]): void {
    const declaredAt = new Map<string, number>();
    body.forEach((st, i) => {
      if (st.type === "FunctionDeclaration" && st.id) declaredAt.set(st.id.name, i);
      if (st.type === "ClassDeclaration" && st.id) declaredAt.set(st.id.name, i);
    });
    body.forEach((st, i) => {
      walkLoadTime(st, (n, parent) => {
        if (n.type !== "Identifier" || !isReference(n, parent)) return;
        const at = declaredAt.get(n.name);
        if (at !== undefined && at > i) add("call-before-declaration", n, n.name);
      });
    });
  }

  out.sort((a, b) => a.line - b.line || a.column - b.column);
  return out;
}

/** One line per violation, for test failures and the build. */
export function formatViolations(file: string, v: Violation[]): string {
  return v.map((x) => `${file}:${x.line}:${x.column}: [${x.rule}] ${x.message} — …${x.snippet}…`).join("\n");
}
