// Language server latency on a generated 5,000-line script: a one-character edit to published
// diagnostics, and completion, through the real server over stdio; beside the TypeScript language
// service (getSemanticDiagnostics, getCompletionsAtPosition) on an equivalent JavaScript file.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';

const LINES = 5000;
const RUNS = 30;

/** A Snippet script and an equivalent JavaScript file of about `lines` lines each. */
export function generate(lines: number): { snippet: string; js: string } {
  const snip: string[] = ['DYNAMIC payload', 'ASSIGN payload.URL = "https://x"'];
  const js: string[] = ['const payload = {};', 'payload.URL = "https://x";'];
  let i = 0;
  while (snip.length < lines) {
    i++;
    snip.push(
      `FUNCTION scale${i}(value, factor)`,
      '{',
      `  RETURN value * factor + ${i}`,
      '}',
      `ASSIGN total${i} = scale${i}(${i}, 2)`,
      `ASSIGN name${i} = left("customer {total${i}}", 8)`,
      `IF total${i} > 10`,
      '{',
      `  ASSIGN payload.items${i} = upper(name${i})`,
      '}',
      `FOR k = 1 TO 3 { ASSIGN payload.count = k * total${i} }`,
      `TRACE "{name${i}}: {payload.asjson()}"`,
    );
    js.push(
      `function scale${i}(value, factor)`,
      '{',
      `  return value * factor + ${i};`,
      '}',
      `let total${i} = scale${i}(${i}, 2);`,
      `let name${i} = \`customer \${total${i}}\`.slice(0, 8);`,
      `if (total${i} > 10)`,
      '{',
      `  payload.items${i} = name${i}.toUpperCase();`,
      '}',
      `for (let k = 1; k <= 3; k++) { payload.count = k * total${i}; }`,
      `console.log(\`\${name${i}}: \${JSON.stringify(payload)}\`);`,
    );
  }
  snip.push('ASSIGN last = ');
  js.push('let last = ');
  return { snippet: snip.join('\n'), js: js.join('\n') };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function ours(source: string): Promise<{ edit: number; completion: number; items: number }> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const child = spawn(process.execPath, [path.join(root, 'lsp/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  let waiting: ((p: PublishDiagnosticsParams) => void) | undefined;
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => waiting?.(p));
  conn.listen();
  const uri = pathToFileURL(path.join(root, 'bench-generated.snip')).href;
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { diagnosticsDelayMs: 0 } });
  await conn.sendNotification('initialized', {});
  const published = (version: number) =>
    new Promise<void>((resolve) => {
      waiting = (p) => {
        if (p.uri === uri && p.version === version) resolve();
      };
    });
  let version = 1;
  let done = published(version);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'snip', version, text: source } });
  await done;
  // One-character edits in the middle of the file: insert a digit into a name, then take it out.
  const mid = Math.floor(LINES / 2);
  const edits: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    version++;
    const insert = r % 2 === 0;
    done = published(version);
    const t0 = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: mid, character: 9 }, end: { line: mid, character: insert ? 9 : 10 } }, text: insert ? '7' : '' }],
    });
    await done;
    edits.push(performance.now() - t0);
  }
  const lastLine = source.split('\n').length - 1;
  const times: number[] = [];
  let items = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const result = (await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: lastLine, character: 14 } })) as unknown[];
    times.push(performance.now() - t0);
    items = result.length;
  }
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  return { edit: median(edits), completion: median(times), items };
}

function typescript(source: string): { edit: number; completion: number; items: number } {
  const file = '/bench/generated.js';
  let text = source;
  let version = 0;
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => ({ allowJs: true, checkJs: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts'] }),
    getScriptFileNames: () => [file],
    getScriptVersion: () => String(version),
    getScriptSnapshot: (f) => (f === file ? ts.ScriptSnapshot.fromString(text) : ts.sys.fileExists(f) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(f)!) : undefined),
    getCurrentDirectory: () => '/bench',
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: (f) => f === file || ts.sys.fileExists(f),
    readFile: (f) => (f === file ? text : ts.sys.readFile(f)),
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry());
  service.getSemanticDiagnostics(file);
  const lines = source.split('\n');
  const mid = Math.floor(LINES / 2);
  const midOffset = lines.slice(0, mid).reduce((n, l) => n + l.length + 1, 0) + 4;
  const edits: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const insert = r % 2 === 0;
    const t0 = performance.now();
    text = insert ? text.slice(0, midOffset) + '7' + text.slice(midOffset) : text.slice(0, midOffset) + text.slice(midOffset + 1);
    version++;
    service.getSyntacticDiagnostics(file);
    service.getSemanticDiagnostics(file);
    edits.push(performance.now() - t0);
  }
  const times: number[] = [];
  let items = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const c = service.getCompletionsAtPosition(file, text.length, {});
    times.push(performance.now() - t0);
    items = c?.entries.length ?? 0;
  }
  return { edit: median(edits), completion: median(times), items };
}

/** Runs the benchmark and prints one table with ratios. */
export async function main(): Promise<void> {
  const { snippet, js } = generate(LINES);
  const a = await ours(snippet);
  const b = typescript(js);
  const f = (n: number) => `${n.toFixed(2)} ms`;
  const rows = [
    ['', 'snip lsp (stdio)', 'TypeScript service', 'ratio (TS / snip)'],
    ['edit -> diagnostics', f(a.edit), f(b.edit), `${(b.edit / a.edit).toFixed(1)}x`],
    ['completion', f(a.completion), f(b.completion), `${(b.completion / a.completion).toFixed(1)}x`],
    ['completion items', String(a.items), String(b.items), ''],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  process.stdout.write(`LSP latency on a ${snippet.split('\n').length}-line script (median of ${RUNS}; snip with diagnosticsDelayMs 0, over stdio; TypeScript in-process)\n`);
  for (const r of rows) process.stdout.write(r.map((c, i) => c.padEnd(widths[i]!)).join('  ') + '\n');
}
