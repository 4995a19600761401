// The flow diagram's model, pure (no `vscode`, no DOM): a parsed .studio script in, a graph out.
// Nodes are actions (label, type, line); edges are branches `Name -> label` with the Default branch
// set apart, plus the implicit fall-through to the next action in the file that the engine takes when
// an action has no Default (runtime/flow/branches.ts); actions no path from BEGIN reaches are marked.
import type { StudioScript } from '../../../../language/ast';
import { findAction } from '../../../../language/action-catalog';
import { edgeKey } from '../trace/rows';

/** Actions whose outcome is always one of their own branches (never plain Default). */
const OWN_BRANCHES_ONLY = new Set(['IF', 'CONNECTAUTH', 'CONNECTREQUEST', 'RESTAPI']);

export interface FlowNode {
  /** Lower-case label (labels are case-insensitive). */
  id: string;
  label: string;
  type: string;
  /** 1-based line of the action. */
  line: number;
  reachable: boolean;
  entry: boolean;
  terminal: boolean;
}

export interface FlowEdge {
  id: string;
  from: string;
  to: string;
  /** The branch name as written; `Default` for `-> label` alone and for fall-through. */
  branch: string;
  isDefault: boolean;
  /** Not written in the file: the fall-through to the next action. */
  implicit: boolean;
  /** Joins the edge with a run's path (`runPath` in ../trace/rows). */
  key: string;
}

export interface FlowGraph {
  name: string | undefined;
  nodes: FlowNode[];
  edges: FlowEdge[];
  /** Branches whose target label does not exist (drawn nowhere; the language server reports them). */
  dangling: { from: string; branch: string; to: string; line: number }[];
}

/** Builds the graph of a parsed script (a broken script gives the part that parsed). */
export function flowGraph(script: StudioScript): FlowGraph {
  const nodes: FlowNode[] = [];
  const byId = new Map<string, FlowNode>();
  for (const a of script.actions) {
    const id = a.label.key;
    if (byId.has(id)) continue;
    const spec = findAction(a.type);
    const node: FlowNode = {
      id,
      label: a.label.name,
      type: a.type.toUpperCase(),
      line: a.range.start.line,
      reachable: false,
      entry: spec?.entry === true,
      terminal: spec?.terminal === true,
    };
    nodes.push(node);
    byId.set(id, node);
  }
  const edges: FlowEdge[] = [];
  const dangling: FlowGraph['dangling'] = [];
  const seen = new Set<string>();
  script.actions.forEach((a, index) => {
    const from = a.label.key;
    let hasDefault = false;
    const wired = new Set<string>();
    for (const b of a.branches) {
      const branch = b.name?.name ?? 'Default';
      const isDefault = branch.toLowerCase() === 'default';
      hasDefault ||= isDefault;
      wired.add(branch.toLowerCase());
      const to = b.target.key;
      if (!byId.has(to)) {
        dangling.push({ from: a.label.name, branch, to: b.target.name, line: b.range.start.line });
        continue;
      }
      const id = `${from}->${to}:${branch.toLowerCase()}`;
      if (seen.has(id)) continue;
      seen.add(id);
      edges.push({ id, from, to, branch, isDefault, implicit: false, key: edgeKey(from, to) });
    }
    // Falls through when a branch it can take is not wired and no Default catches it.
    const spec = findAction(a.type);
    const type = a.type.toUpperCase();
    const canTake = spec && OWN_BRANCHES_ONLY.has(type) ? spec.branches : ['Default', ...(spec?.branches ?? [])];
    const fallsThrough = !hasDefault && (type === 'CASE' || canTake.some((b) => !wired.has(b.toLowerCase())));
    const next = script.actions[index + 1];
    if (fallsThrough && !byId.get(from)?.terminal && next && byId.has(next.label.key)) {
      const to = next.label.key;
      edges.push({ id: `${from}->${to}:next`, from, to, branch: 'Default', isDefault: true, implicit: true, key: edgeKey(from, to) });
    }
  });
  // Reachability from the entry (BEGIN), or from the first action when there is none.
  const start = nodes.find((n) => n.entry) ?? nodes[0];
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);
  const stack = start ? [start.id] : [];
  while (stack.length) {
    const id = stack.pop()!;
    const n = byId.get(id);
    if (!n || n.reachable) continue;
    n.reachable = true;
    stack.push(...(out.get(id) ?? []));
  }
  const name = script.name?.parts.map((p) => (p.kind === 'Text' ? p.value : '')).join('');
  return { name, nodes, edges, dangling };
}
