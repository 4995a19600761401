// The flow diagram's model (vscode-extension/src/views/flow/graph.ts) over real .studio samples, and
// joined with the path of a real run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseStudio } from '../../language/parse.js';
import { main } from '../../runtime/cli/main.js';
import { fakeIO } from '../cli/fake-io.js';
import { flowGraph } from '../../vscode-extension/src/views/flow/graph.js';
import { buildFlowGraph } from '../../vscode-extension/src/views/flow/flow-model.js';
import { parseTrace, runPath } from '../../vscode-extension/src/views/trace/rows.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sample = (name: string) => readFileSync(path.join(root, 'samples', name), 'utf8');
const edges = (g: ReturnType<typeof flowGraph>) => g.edges.map((e) => `${e.from}-${e.branch}${e.implicit ? '(next)' : ''}->${e.to}`);

describe('flow graph', () => {
  it('has one node per action and one edge per branch, Default set apart', () => {
    const g = buildFlowGraph(sample('case-routing.studio'));
    expect(g.name).toBe('Case routing');
    expect(g.nodes.map((n) => `${n.label}:${n.type}`)).toEqual([
      'start:BEGIN',
      'route:CASE',
      'to_sales:ASSIGN',
      'to_support:ASSIGN',
      'to_answer:ASSIGN',
      'to_reception:ASSIGN',
      'done:END',
    ]);
    expect(edges(g)).toEqual([
      'start-Default->route',
      'route-sales->to_sales',
      'route-support->to_support',
      'route-42->to_answer',
      'route-Default->to_reception',
      'to_sales-Default->done',
      'to_support-Default->done',
      'to_answer-Default->done',
      'to_reception-Default->done',
    ]);
    expect(g.edges.filter((e) => e.isDefault).map((e) => e.from)).toEqual(['start', 'route', 'to_sales', 'to_support', 'to_answer', 'to_reception']);
    expect(g.nodes.every((n) => n.reachable)).toBe(true);
    expect(g.nodes.find((n) => n.label === 'route')!.line).toBe(7);
  });

  it('draws the fall-through to the next action where no Default is wired, and marks unreachable actions', () => {
    const g = flowGraph(parseStudio(sample('fall-through.studio')).value);
    expect(edges(g)).toContain('start-Default(next)->broken');
    expect(edges(g)).toContain('only_true-True->said_yes');
    expect(edges(g)).toContain('only_true-Default(next)->said_no');
    // `done` follows `finish`; END has no outgoing edge.
    expect(g.edges.filter((e) => e.from === 'done')).toEqual([]);
    const lonely = flowGraph(parseStudio('BEGIN start -> done\nASSIGN orphan (Variable = x, Value = "1") -> done\nEND done\nEND other\n').value);
    expect(lonely.nodes.filter((n) => !n.reachable).map((n) => n.label)).toEqual(['orphan', 'other']);
  });

  it('falls through only when a branch the action can take is left unwired', () => {
    const hello = buildFlowGraph(sample('hello.studio'));
    expect(hello.edges.filter((e) => e.from === 'check').map((e) => e.branch)).toEqual(['True', 'False']);
    const g = flowGraph(parseStudio('BEGIN start -> auth\nCONNECTAUTH auth (connectName = "A")\n  OnSuccess -> done\n  OnError -> done\nEND failed\nEND done\n').value);
    expect(edges(g)).toEqual(['start-Default->auth', 'auth-OnSuccess->done', 'auth-OnError->done', 'auth-Default(next)->failed']);
  });

  it('keeps what parsed of a broken script and lists branches to unknown labels', () => {
    const g = flowGraph(parseStudio('BEGIN start -> nowhere\nIF check (Expression = 1 = 1)\n  True -> done\nEND done\n').value);
    expect(g.dangling).toEqual([{ from: 'start', branch: 'Default', to: 'nowhere', line: 1 }]);
    expect(g.nodes.map((n) => n.label)).toEqual(['start', 'check', 'done']);
    expect(g.nodes.find((n) => n.label === 'check')!.reachable).toBe(false);
  });

  it('matches the edges a run took, with counts', async () => {
    const io = fakeIO(root);
    await main(['run', 'samples/hello.studio', '--trace', '--trace-format', 'jsonl', '--input', 'name='], io);
    const p = runPath(parseTrace(io.stderrText()).events);
    const g = buildFlowGraph(sample('hello.studio'));
    const taken = g.edges.filter((e) => p.edges.has(e.key)).map((e) => `${e.from}-${e.branch}->${e.to}`);
    expect(taken).toEqual(['start-Default->check', 'check-True->default_name', 'default_name-Default->greet', 'greet-Default->done']);
    expect(g.edges.find((e) => e.branch === 'False')!.key).not.toBe(undefined);
    expect(p.edges.has(g.edges.find((e) => e.branch === 'False')!.key)).toBe(false);
  });
});
