// User functions: hoisting every FUNCTION declaration before the walk (a function may be called
// above its declaration, or from another SNIPPET of the same script) and checking declarations.
import type { FunctionDeclaration, Statement } from '../ast.js';
import { findBuiltin } from '../catalog.js';
import { at, report, type AnalysisContext } from './context.js';

/** Every FUNCTION declaration in `body`, nested ones included, in source order. */
export function functionDeclarations(body: readonly Statement[], out: FunctionDeclaration[] = []): FunctionDeclaration[] {
  for (const s of body) {
    switch (s.kind) {
      case 'Function':
        out.push(s);
        functionDeclarations(s.body.body, out);
        break;
      case 'If':
        functionDeclarations(s.then.body, out);
        if (s.else) functionDeclarations(s.else.body, out);
        break;
      case 'Select':
        for (const c of s.cases) functionDeclarations(c.body.body, out);
        if (s.default) functionDeclarations(s.default.body, out);
        break;
      case 'Switch':
        for (const c of s.cases) functionDeclarations(c.body.body, out);
        if (s.default) functionDeclarations(s.default.body, out);
        break;
      case 'For':
      case 'ForEach':
      case 'Repeat':
      case 'While':
        functionDeclarations(s.body.body, out);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Registers declarations in the context and the symbol table; reports duplicates and clashes. */
export function declareFunctions(ctx: AnalysisContext, decls: readonly FunctionDeclaration[]): void {
  for (const f of decls) {
    const key = f.name.key;
    const previous = ctx.table.functions.get(key);
    if (previous) {
      report(ctx, 'SNIP2011', `function '${f.name.name}' is already declared at ${at(previous.nameRange)}`, f.name.range, 'error', {
        related: [{ message: 'first declared here', range: previous.nameRange }],
      });
      continue;
    }
    if (findBuiltin(f.name.name)) {
      report(ctx, 'SNIP2012', `function '${f.name.name}' has the name of a built-in function; choose another name`, f.name.range);
    }
    const seen = new Map<string, string>();
    for (const p of f.params) {
      if (seen.has(p.key)) {
        report(ctx, 'SNIP2019', `parameter '${p.name}' appears twice in '${f.name.name}'`, p.range);
      }
      seen.set(p.key, p.name);
    }
    const params = f.params.map((p) => p.name);
    ctx.table.functions.set(key, {
      key,
      name: f.name.name,
      params,
      doc: f.doc,
      range: f.range,
      nameRange: f.name.range,
      calls: [],
    });
    ctx.table.occurrences.push({ range: f.name.range, symbol: 'function', key, definition: true });
    ctx.functions.set(key, { name: f.name.name, params });
  }
}
