// Which variables a piece of code assigns, without reporting anything: loops use it so that a read
// inside a loop body counts a later assignment of the same body (the next iteration sees it).
import type { AssignTarget, Block, Expression, Statement } from '../ast.js';

/** The variable an assignment target writes (`o` for `o.a[1].b`), or undefined. */
export function targetRoot(t: AssignTarget): string | undefined {
  let e: Expression = t;
  while (e.kind === 'Member' || e.kind === 'Index') e = e.object;
  return e.kind === 'Identifier' ? e.key : undefined;
}

function blocks(s: Statement): Block[] {
  switch (s.kind) {
    case 'If':
      return s.else ? [s.then, s.else] : [s.then];
    case 'Select':
    case 'Switch':
      return [...s.cases.map((c) => c.body), ...(s.default ? [s.default] : [])];
    case 'For':
    case 'ForEach':
    case 'Repeat':
    case 'While':
      return [s.body];
    default:
      return [];
  }
}

/** Adds to `out` every variable key that `body` assigns (FUNCTION bodies excluded). */
export function assignedKeys(body: readonly Statement[], out: Set<string> = new Set()): Set<string> {
  for (const s of body) {
    if (s.kind === 'Assign') {
      const root = targetRoot(s.target);
      if (root) out.add(root);
    } else if (s.kind === 'Dynamic') {
      out.add(s.name.key);
    } else if (s.kind === 'For' || s.kind === 'ForEach') {
      out.add(s.variable.key);
    }
    for (const b of blocks(s)) assignedKeys(b.body, out);
  }
  return out;
}

/** Like `assignedKeys`, but also inside FUNCTION bodies (their assignments are script-wide too). */
export function assignedKeysEverywhere(body: readonly Statement[], out: Set<string> = new Set()): Set<string> {
  assignedKeys(body, out);
  const visit = (stmts: readonly Statement[]): void => {
    for (const s of stmts) {
      if (s.kind === 'Function') {
        const params = new Set(s.params.map((p) => p.key));
        for (const k of assignedKeys(s.body.body)) if (!params.has(k)) out.add(k);
        visit(s.body.body);
      } else {
        for (const b of blocks(s)) visit(b.body);
      }
    }
  };
  visit(body);
  return out;
}
