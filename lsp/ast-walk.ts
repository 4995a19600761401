// Generic AST traversal for the features: children of any node, a depth-first walk, and the chain
// of nodes around an offset. Generic over the node shapes so new node kinds need no change here.
import type { Node, SnippetProgram, StudioScript } from '../language/ast.js';

const isNode = (v: unknown): v is Node =>
  typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string' && 'range' in v;

/** The direct child nodes of `node`, in source order. */
export function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const [k, v] of Object.entries(node)) {
    if (k === 'range' || k === 'comments') continue;
    if (Array.isArray(v)) {
      for (const x of v) if (isNode(x)) out.push(x);
    } else if (isNode(v)) out.push(v);
  }
  return out.sort((a, b) => a.range.start.offset - b.range.start.offset);
}

/** Visits every node depth-first; return false from `visit` to skip a node's children. */
export function walk(node: Node, visit: (n: Node, parent: Node | undefined) => boolean | void, parent?: Node): void {
  if (visit(node, parent) === false) return;
  for (const c of children(node)) walk(c, visit, node);
}

/** The nodes whose range holds `offset`, outermost first (ends inclusive). */
export function nodesAt(root: SnippetProgram | StudioScript, offset: number): Node[] {
  const path: Node[] = [root];
  let cur: Node = root;
  for (;;) {
    const next: Node | undefined = children(cur).find((c) => c.range.start.offset <= offset && offset <= c.range.end.offset);
    if (!next) return path;
    path.push(next);
    cur = next;
  }
}
