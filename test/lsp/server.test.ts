// The real server over stdio (`snip lsp --stdio`, built in dist/) driven by the
// vscode-languageserver-protocol client: initialize, didOpen, incremental didChange and every request.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLspClient, type LspClient } from '../helpers/lsp-client.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/lsp/workspace');
const FLOW = pathToFileURL(path.join(dir, 'flow.studio')).href;
const LIB = pathToFileURL(path.join(dir, 'lib.snip')).href;
const flowText = readFileSync(path.join(dir, 'flow.studio'), 'utf8');
const pos = (line: number, character: number) => ({ line, character });
const range = (l1: number, c1: number, l2: number, c2: number) => ({ start: pos(l1, c1), end: pos(l2, c2) });
const doc = { textDocument: { uri: FLOW } };

describe('language server over stdio', () => {
  let client: LspClient;

  beforeAll(async () => {
    client = await startLspClient({ rootDir: dir });
    const first = client.nextDiagnostics(FLOW);
    client.open(FLOW, flowText);
    expect((await first).diagnostics).toEqual([]);
  });

  afterAll(async () => {
    expect(await client.close()).toBe(0);
  });

  test('initialize announces the features (completion registered statically)', () => {
    const caps = client.initialize.capabilities;
    expect(caps.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
    expect(caps.completionProvider).toEqual({ triggerCharacters: ['.', '>', '[', '"'], resolveProvider: true });
    expect(caps.renameProvider).toEqual({ prepareProvider: true });
    expect(caps.semanticTokensProvider).toMatchObject({ full: true, range: true });
    expect(client.initialize.serverInfo).toEqual({ name: 'snip', version: '0.1.0' });
  });

  test('incremental changes: diagnostics follow the text, then clear when fixed', async () => {
    // Line 17 (0-based): `CONNECTAUTH auth (connectName = "Agents API")`; replace `API` with `APX`.
    const broken = client.nextDiagnostics(FLOW, (p) => p.version === 2);
    client.change(FLOW, 2, range(17, 40, 17, 43), 'APX');
    const d = (await broken).diagnostics;
    expect(d.map((x) => [x.code, x.message, x.range])).toEqual([
      ['SNIP4002', "the hub has no connection 'Agents APX'; did you mean 'Agents API'?", range(17, 32, 17, 44)],
    ]);
    const actions = await client.connection.sendRequest('textDocument/codeAction', { ...doc, range: d[0]!.range, context: { diagnostics: d } });
    expect(actions).toEqual([
      {
        title: "Change to 'Agents API'",
        kind: 'quickfix',
        diagnostics: d,
        isPreferred: true,
        edit: { changes: { [FLOW]: [{ range: range(17, 32, 17, 44), newText: '"Agents API"' }] } },
      },
    ]);
    const fixed = client.nextDiagnostics(FLOW, (p) => p.version === 4);
    client.change(FLOW, 3, range(17, 42, 17, 43), 'Q');
    client.change(FLOW, 4, range(17, 42, 17, 43), 'I');
    expect((await fixed).diagnostics).toEqual([]);
  });

  test('completion: labels after ->, secrets after [[', async () => {
    const labels = (await client.connection.sendRequest('textDocument/completion', { ...doc, position: pos(15, 11) })) as { label: string }[];
    expect(labels.map((i) => i.label)).toEqual(['start', 'build', 'auth', 'call', 'done', 'failed']);
    const secrets = (await client.connection.sendRequest('textDocument/completion', { ...doc, position: pos(8, 33) })) as { label: string }[];
    expect(secrets.map((i) => i.label)).toEqual(['INSTANCEURI', 'API TOKEN']);
  });

  test('hover, signature help and definition of a function declared in another file', async () => {
    const hover = (await client.connection.sendRequest('textDocument/hover', { ...doc, position: pos(13, 22) })) as { contents: { value: string } };
    expect(hover.contents.value).toBe('```snip\nFUNCTION greet(name)\n```\nSays hello to name.\n\nDeclared in lib.snip.');
    const sig = (await client.connection.sendRequest('textDocument/signatureHelp', { ...doc, position: pos(13, 26) })) as { signatures: { label: string }[] };
    expect(sig.signatures.map((s) => s.label)).toEqual(['greet(name)']);
    expect(await client.connection.sendRequest('textDocument/definition', { ...doc, position: pos(13, 22) })).toEqual([{ uri: LIB, range: range(1, 9, 1, 14) }]);
  });

  test('references, highlights and rename of a variable', async () => {
    const refs = (await client.connection.sendRequest('textDocument/references', { ...doc, position: pos(11, 10), context: { includeDeclaration: true } })) as { range: unknown }[];
    expect(refs.map((r) => r.range)).toEqual([range(11, 9, 11, 20), range(12, 9, 12, 20), range(12, 23, 12, 34), range(22, 96, 22, 107)]);
    const highlights = await client.connection.sendRequest('textDocument/documentHighlight', { ...doc, position: pos(11, 10) });
    expect((highlights as { kind: number }[]).map((h) => h.kind)).toEqual([3, 3, 2, 2]);
    expect(await client.connection.sendRequest('textDocument/prepareRename', { ...doc, position: pos(11, 10) })).toEqual({ range: range(11, 9, 11, 20), placeholder: 'payloadJSON' });
    const edit = (await client.connection.sendRequest('textDocument/rename', { ...doc, position: pos(11, 10), newName: 'body' })) as { changes: Record<string, unknown[]> };
    expect(edit.changes[FLOW]).toHaveLength(4);
    await expect(client.connection.sendRequest('textDocument/prepareRename', { ...doc, position: pos(10, 26) })).rejects.toThrow('Member names come from the data');
  });

  test('document and workspace symbols, folding', async () => {
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', doc)) as { name: string; detail: string }[];
    expect(symbols.map((s) => `${s.detail} ${s.name}`)).toEqual(['BEGIN start', 'SNIPPET build', 'CONNECTAUTH auth', 'CONNECTREQUEST call', 'END done', 'END failed']);
    const ws = (await client.connection.sendRequest('workspace/symbol', { query: 'gre' })) as { name: string; location: { uri: string } }[];
    expect(ws.map((s) => [s.name, s.location.uri])).toEqual([['greet', LIB]]);
    const folds = await client.connection.sendRequest('textDocument/foldingRange', doc);
    expect(folds).toEqual([
      { startLine: 6, endLine: 15 },
      { startLine: 17, endLine: 20 },
      { startLine: 22, endLine: 25 },
    ]);
  });

  test('semantic tokens (full and range) and inlay hints', async () => {
    const full = (await client.connection.sendRequest('textDocument/semanticTokens/full', doc)) as { data: number[] };
    expect(full.data.length % 5).toBe(0);
    // The first token: `// Looks ...` comment over the whole first line.
    expect(full.data.slice(0, 5)).toEqual([0, 0, flowText.split('\n')[0]!.length, 8, 0]);
    const part = (await client.connection.sendRequest('textDocument/semanticTokens/range', { ...doc, range: range(4, 0, 4, 20) })) as { data: number[] };
    expect(part.data).toEqual([4, 0, 5, 9, 0, 0, 6, 5, 10, 1, 0, 9, 5, 10, 0]);
    const hints = await client.connection.sendRequest('textDocument/inlayHint', { ...doc, range: range(12, 0, 13, 40) });
    expect(hints).toEqual([
      { position: pos(12, 43), label: 'find:', kind: 2, paddingRight: true },
      { position: pos(12, 64), label: 'with:', kind: 2, paddingRight: true },
      { position: pos(13, 26), label: 'name:', kind: 2, paddingRight: true },
    ]);
  });

  test('formatting: the fixture is formatted already; a messy line is not', async () => {
    expect(await client.connection.sendRequest('textDocument/formatting', { ...doc, options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
    const done = client.nextDiagnostics(FLOW, (p) => p.version === 5);
    client.change(FLOW, 5, range(9, 2, 9, 8), 'assign ');
    await done;
    expect(await client.connection.sendRequest('textDocument/rangeFormatting', { ...doc, range: range(9, 0, 9, 5), options: { tabSize: 2, insertSpaces: true } })).toEqual([
      { range: range(9, 0, 10, 0), newText: '  ASSIGN requestPayload.HTTPMETHOD = "GET"\n' },
    ]);
  });
});

describe('pull diagnostics', () => {
  test('a client that pulls gets diagnostics on request and none pushed', async () => {
    const client = await startLspClient({ rootDir: dir, pull: true });
    client.open(FLOW, flowText.replace('-> done\n  OnError', '-> dnoe\n  OnError'));
    const report = (await client.connection.sendRequest('textDocument/diagnostic', doc)) as { kind: string; items: { code: string; message: string }[] };
    expect(report.kind).toBe('full');
    expect(report.items.map((d) => [d.code, d.message])).toEqual([
      ['SNIP2001', "no action is labelled 'dnoe'; did you mean 'done'?"],
      ['SNIP2008', "action 'done' can never run: no path leads to it from BEGIN"],
    ]);
    expect(await client.close()).toBe(0);
    expect(client.published).toEqual([]);
  });
});
