// The trace view's page script (runs inside the webview): keeps a TraceModel, draws only the rows in
// sight (fixed-height rows in a scroller, so 10,000 events stay smooth), a filter box, and a details
// pane for the selected row where dynamic objects expand. Talks to the extension by messages only.
import { TraceModel, isStructured, shortValue, type TraceEvent, type TraceRow } from '../views/trace/rows';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const ROW_HEIGHT = 22;
const OVERSCAN = 20;

let model = new TraceModel();
let shown: TraceRow[] = model.rows;
let query = '';
let selected: number | undefined;
let follow = true;
let drawQueued = false;

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const scroller = el<HTMLDivElement>('scroller');
const spacer = el<HTMLDivElement>('spacer');
const filterBox = el<HTMLInputElement>('filter');
const status = el<HTMLSpanElement>('status');
const details = el<HTMLDivElement>('details');

function span(cls: string, text: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  return s;
}

function rowElement(r: TraceRow, top: number): HTMLDivElement {
  const d = document.createElement('div');
  d.className = `trace-row kind-${r.kind} depth-${r.depth}${r.error ? ' has-error' : ''}${r.pending ? ' pending' : ''}${r.seq === selected ? ' selected' : ''}`;
  d.style.top = `${top}px`;
  d.dataset.seq = String(r.seq);
  if (r.line) d.dataset.line = String(r.line);
  d.append(span('seq', String(r.seq)), span('label', r.label), span('what', r.what));
  if (r.branch || r.next) d.append(span('branch', `${r.branch ?? ''}${r.next ? ` -> ${r.next}` : ''}`));
  if (r.ms !== undefined) d.append(span('ms', `${r.ms.toFixed(2)} ms`));
  if (r.changes.length) d.append(span('changes', r.changes.map((c) => `${c.name}: ${shortValue(c.old, 20)} → ${shortValue(c.new, 30)}`).join('; ')));
  for (const m of r.messages) d.append(span('message', m));
  if (r.error) d.append(span('error', r.error));
  return d;
}

function draw(): void {
  drawQueued = false;
  spacer.style.height = `${shown.length * ROW_HEIGHT}px`;
  // A shorter list (a filter) must not leave the window scrolled past its end.
  const max = Math.max(0, shown.length * ROW_HEIGHT - scroller.clientHeight);
  if (follow || scroller.scrollTop > max) scroller.scrollTop = follow ? scroller.scrollHeight : max;
  const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(shown.length, Math.ceil((scroller.scrollTop + scroller.clientHeight) / ROW_HEIGHT) + OVERSCAN);
  const frag = document.createDocumentFragment();
  for (let i = first; i < last; i++) frag.append(rowElement(shown[i]!, i * ROW_HEIGHT));
  spacer.replaceChildren(frag);
  const end = model.end;
  status.textContent = `${model.events.length} events${query ? `, ${shown.length} rows shown` : ''}${end ? ` · ${end.outcome ?? 'completed'} in ${(end.durationMs ?? 0).toFixed(1)} ms` : ' · running…'}`;
  status.className = end && end.outcome !== 'completed' ? 'failed' : '';
}

function queueDraw(): void {
  if (drawQueued) return;
  drawQueued = true;
  requestAnimationFrame(draw);
}

function valueNode(v: string | null): Node {
  if (!isStructured(v)) return span('value', v === null ? '∅' : v);
  const tree = (x: unknown, key: string): HTMLElement => {
    if (typeof x !== 'object' || x === null) return span('leaf', `${key}${JSON.stringify(x)}`);
    const d = document.createElement('details');
    const entries = Array.isArray(x) ? x.map((y, i) => [String(i), y] as const) : Object.entries(x);
    const s = document.createElement('summary');
    s.textContent = `${key}${Array.isArray(x) ? `[${entries.length}]` : `{${entries.length}}`}`;
    d.append(s);
    for (const [k, y] of entries) d.append(tree(y, `${k}: `));
    return d;
  };
  const root = tree(JSON.parse(v!), '');
  if (root instanceof HTMLDetailsElement) root.open = true;
  return root;
}

function showDetails(r: TraceRow | undefined): void {
  details.replaceChildren();
  if (!r) {
    details.hidden = true;
    return;
  }
  details.hidden = false;
  const h = document.createElement('div');
  h.className = 'details-head';
  h.textContent = `#${r.seq} ${r.label} · ${r.what}${r.branch ? ` · ${r.branch}` : ''}${r.next ? ` -> ${r.next}` : ''}${r.line ? ` · line ${r.line}` : ''}`;
  details.append(h);
  for (const c of r.changes) {
    const line = document.createElement('div');
    line.className = 'change';
    line.append(span('name', c.name), valueNode(c.old), span('arrow', '→'), valueNode(c.new));
    details.append(line);
  }
  for (const m of r.messages) details.append(span('message block', m));
  if (r.error) details.append(span('error block', r.error));
}

function refilter(): void {
  shown = model.filter(query);
  queueDraw();
}

scroller.addEventListener('scroll', () => {
  follow = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - ROW_HEIGHT;
  queueDraw();
});
filterBox.addEventListener('input', () => {
  query = filterBox.value;
  refilter();
});
el<HTMLButtonElement>('export').addEventListener('click', () => vscode.postMessage({ type: 'export' }));
spacer.addEventListener('click', (ev) => {
  const row = (ev.target as HTMLElement).closest<HTMLElement>('.trace-row');
  if (!row) return;
  const r = shown.find((x) => String(x.seq) === row.dataset.seq);
  selected = r?.seq;
  showDetails(r);
  queueDraw();
  if (r?.line) vscode.postMessage({ type: 'open', fileName: r.fileName, line: r.line, column: r.column ?? 1 });
});

window.addEventListener('message', (ev: MessageEvent<{ type: string; events?: TraceEvent[]; title?: string }>) => {
  const m = ev.data;
  if (m.type === 'reset') {
    model = new TraceModel();
    selected = undefined;
    follow = true;
    showDetails(undefined);
    el<HTMLSpanElement>('title').textContent = m.title ?? '';
    refilter();
  } else if (m.type === 'events' && m.events) {
    for (const e of m.events) model.add(e);
    refilter();
  }
});
vscode.postMessage({ type: 'ready' });
