// The flow diagram's page script: lays the graph out with elkjs (layered, top to bottom) and draws
// it as SVG. Nodes are `g.flow-node[data-label]`, edges `g.flow-edge`; a run's path is highlighted
// with how often each edge was taken. Talks to the extension by messages only.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { FlowEdge, FlowGraph, FlowNode } from '../views/flow/graph';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface RunPathMessage {
  visited: [string, number][];
  edges: [string, number][];
}

const vscode = acquireVsCodeApi();
const elk = new ELK();
const SVG = 'http://www.w3.org/2000/svg';
const CHAR = 7.2;
const NODE_H = 44;

const canvas = document.getElementById('canvas') as HTMLDivElement;
const status = document.getElementById('status') as HTMLSpanElement;
let current: { graph: FlowGraph; path?: RunPathMessage } | undefined;
let generation = 0;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function nodeWidth(n: FlowNode): number {
  return Math.max(90, Math.max(n.label.length, n.type.length) * CHAR + 24);
}

function edgeLabel(e: FlowEdge, taken: number): string {
  const name = e.implicit ? '(next)' : e.branch;
  return taken ? `${name} ×${taken}` : name;
}

async function draw(graph: FlowGraph, path: RunPathMessage | undefined): Promise<void> {
  const mine = ++generation;
  const visited = new Map(path?.visited ?? []);
  const taken = new Map(path?.edges ?? []);
  const root: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '50',
      'elk.spacing.nodeNode': '40',
      'elk.spacing.edgeLabel': '4',
      'elk.edgeLabels.inline': 'false',
    },
    children: graph.nodes.map((n) => ({ id: n.id, width: nodeWidth(n), height: NODE_H })),
    edges: graph.edges.map((e) => {
      const text = edgeLabel(e, taken.get(e.key) ?? 0);
      return { id: e.id, sources: [e.from], targets: [e.to], labels: [{ text, width: text.length * 6.5 + 6, height: 14 }] };
    }),
  };
  const laid = await elk.layout(root);
  if (mine !== generation) return;
  const width = (laid.width ?? 0) + 40;
  const height = (laid.height ?? 0) + 40;
  const out = svg('svg', { xmlns: SVG, width, height, viewBox: `-20 -20 ${width} ${height}`, class: 'flow' });
  const defs = svg('defs');
  for (const [id, cls] of [['arrow', 'arrow'], ['arrow-taken', 'arrow taken']] as const) {
    const m = svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
    m.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: cls }));
    defs.append(m);
  }
  out.append(defs);
  const edgeById = new Map(graph.edges.map((e) => [e.id, e]));
  for (const le of laid.edges ?? []) {
    const e = edgeById.get(le.id)!;
    const count = taken.get(e.key) ?? 0;
    const g = svg('g', { class: `flow-edge${e.isDefault ? ' default' : ''}${e.implicit ? ' implicit' : ''}${count ? ' taken' : ''}`, 'data-branch': e.branch, 'data-from': e.from, 'data-to': e.to, 'data-count': count });
    for (const s of le.sections ?? []) {
      const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
      g.append(svg('path', { d: pts.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' '), 'marker-end': `url(#${count ? 'arrow-taken' : 'arrow'})` }));
    }
    for (const l of le.labels ?? []) g.append(svg('text', { x: (l.x ?? 0) + 3, y: (l.y ?? 0) + 11, class: 'edge-label' }, l.text ?? ''));
    out.append(g);
  }
  const nodeById = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const ln of laid.children ?? []) {
    const n = nodeById.get(ln.id)!;
    const times = visited.get(n.label) ?? visited.get(n.id) ?? 0;
    const g = svg('g', {
      class: `flow-node type-${n.type.toLowerCase()}${n.reachable ? '' : ' unreachable'}${times ? ' visited' : ''}`,
      'data-label': n.label,
      'data-line': n.line,
      transform: `translate(${ln.x ?? 0},${ln.y ?? 0})`,
    });
    g.append(svg('rect', { width: ln.width ?? 0, height: ln.height ?? 0, rx: n.entry || n.terminal ? 20 : 6 }));
    g.append(svg('text', { x: (ln.width ?? 0) / 2, y: 18, class: 'node-label' }, n.label));
    g.append(svg('text', { x: (ln.width ?? 0) / 2, y: 34, class: 'node-type' }, times > 1 ? `${n.type} ×${times}` : n.type));
    g.append(svg('title', {}, `${n.type} ${n.label} (line ${n.line})${n.reachable ? '' : ': no path reaches this action'}`));
    out.append(g);
  }
  canvas.replaceChildren(out);
  const unreachable = graph.nodes.filter((n) => !n.reachable).length;
  status.textContent = `${graph.name ? `${graph.name}: ` : ''}${graph.nodes.length} actions, ${graph.edges.length} branches${unreachable ? `, ${unreachable} unreachable` : ''}${graph.dangling.length ? `, ${graph.dangling.length} to unknown labels` : ''}${path ? ' · last run highlighted' : ''}`;
}

/** The drawing as a standalone SVG file: the page's computed colours written into the elements. */
function exportSvg(): string {
  const source = canvas.querySelector('svg');
  if (!source) return '';
  const copy = source.cloneNode(true) as SVGSVGElement;
  const live = source.querySelectorAll('*');
  copy.querySelectorAll('*').forEach((el, i) => {
    const cs = getComputedStyle(live[i]!);
    const style = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor']
      .map((p) => `${p}:${cs.getPropertyValue(p)}`)
      .join(';');
    el.setAttribute('style', style);
  });
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(copy);
}

canvas.addEventListener('click', (ev) => {
  const node = (ev.target as Element).closest('g.flow-node') as SVGGElement | null;
  if (node) vscode.postMessage({ type: 'open', line: Number(node.dataset.line ?? node.getAttribute('data-line')) });
});
window.addEventListener('message', (ev: MessageEvent<{ type: string; graph?: FlowGraph; path?: RunPathMessage }>) => {
  const m = ev.data;
  if (m.type === 'graph' && m.graph) {
    current = { graph: m.graph, path: m.path };
    void draw(m.graph, m.path).catch((e: unknown) => (status.textContent = `layout failed: ${e instanceof Error ? e.message : String(e)}`));
  } else if (m.type === 'path' && current) {
    current.path = m.path;
    void draw(current.graph, m.path);
  } else if (m.type === 'export') {
    vscode.postMessage({ type: 'svg', svg: exportSvg() });
  }
});
vscode.postMessage({ type: 'ready' });
