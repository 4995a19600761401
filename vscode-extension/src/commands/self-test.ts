// `snipstudio.selfTest` (hidden): asserts nothing itself, but collects what VS Code's own API reports
// for scripts (diagnostics, completion, hover, symbols, the semantic tokens legend, activation time)
// and writes it to <workspace>/.snip-selftest.json, for the end-to-end tests to read.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { workspaceRoot } from '../settings';

export interface SelfTestArgs {
  /** Workspace-relative files; default: every .snip/.studio in the workspace root. */
  files?: string[];
  /** Where to ask for completion, per file (0-based); default: end of the file's first line. */
  positions?: Record<string, { line: number; character: number }>;
}

interface FileReport {
  diagnostics: { code: string; message: string; line: number; severity: string }[];
  completion: string[];
  hover: string;
  symbols: string[];
}

export interface SelfTestDeps {
  client: () => LanguageClient;
  activationMs: number;
}

const SEVERITY = ['error', 'warning', 'information', 'hint'];
const NOT_CALLS = new Set(['if', 'elseif', 'while', 'for', 'foreach', 'switch', 'select', 'case', 'function', 'return', 'trace', 'not', 'and', 'or']);
/** `TYPE label (` opens an action's properties and `FUNCTION name(` declares: neither is a call. */
const NOT_CALL_PREFIX = /^\s*(?:BEGIN|SNIPPET|ASSIGN|IF|CASE|RUNSUB|RETURN|WAIT|END|CONNECTAUTH|CONNECTREQUEST|RESTAPI|FUNCTION)\s+$/i;

async function defaultFiles(root: string): Promise<string[]> {
  const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(root));
  return entries
    .filter(([name, type]) => type === vscode.FileType.File && /\.(snip|studio)$/i.test(name))
    .map(([name]) => name)
    .sort();
}

/** Waits until VS Code shows at least `count` diagnostics for `uri` (or gives up after `ms`). */
function waitForDiagnostics(uri: vscode.Uri, count: number, ms: number): Promise<void> {
  if (vscode.languages.getDiagnostics(uri).length >= count) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString()) && vscode.languages.getDiagnostics(uri).length >= count) done();
    });
  });
}

function hoverText(hovers: vscode.Hover[] | undefined): string {
  const parts: string[] = [];
  for (const h of hovers ?? []) for (const c of h.contents) parts.push(typeof c === 'string' ? c : 'value' in c ? c.value : '');
  return parts.filter(Boolean).join('\n\n');
}

function symbolNames(symbols: (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined): string[] {
  const out: string[] = [];
  const walk = (s: vscode.DocumentSymbol | vscode.SymbolInformation) => {
    out.push(s.name);
    if ('children' in s) for (const c of s.children) walk(c);
  };
  for (const s of symbols ?? []) walk(s);
  return out;
}

async function firstCallHover(doc: vscode.TextDocument): Promise<string> {
  const text = doc.getText();
  let tries = 0;
  for (const m of text.matchAll(/\b([A-Za-z_][A-Za-z0-9_]*)\s*\(/g)) {
    if (NOT_CALLS.has(m[1]!.toLowerCase())) continue;
    const lineStart = text.lastIndexOf('\n', m.index!) + 1;
    if (NOT_CALL_PREFIX.test(text.slice(lineStart, m.index!))) continue;
    if (++tries > 25) break;
    const pos = doc.positionAt(m.index! + 1);
    const h = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
    if (h) return h;
  }
  return '';
}

async function reportFile(deps: SelfTestDeps, root: string, rel: string, args: SelfTestArgs): Promise<FileReport> {
  const uri = vscode.Uri.file(path.join(root, rel));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  // Symbols go through VS Code and the client, which sends didOpen first: a barrier, after which the
  // server knows the document. Then ask it how many problems it sees, and wait until VS Code shows them.
  const symbols = symbolNames(await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri));
  let expected = 0;
  try {
    const report = await deps.client().sendRequest<{ items?: unknown[] }>('textDocument/diagnostic', { textDocument: { uri: uri.toString() } });
    expected = report.items?.length ?? 0;
  } catch {
    expected = 0;
  }
  await waitForDiagnostics(uri, expected, 5000);
  const diagnostics = vscode.languages.getDiagnostics(uri).map((d) => ({
    code: typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? ''),
    message: d.message,
    line: d.range.start.line + 1,
    severity: SEVERITY[d.severity] ?? 'error',
  }));
  const at = args.positions?.[rel] ?? { line: 0, character: doc.lineAt(0).text.length };
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(at.line, at.character));
  const completion = (list?.items ?? []).map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  return { diagnostics, completion, hover: await firstCallHover(doc), symbols };
}

/** Runs the self-test and returns the path of the JSON file it wrote. */
export async function selfTest(deps: SelfTestDeps, args: SelfTestArgs = {}): Promise<string | undefined> {
  const root = workspaceRoot();
  if (!root) return undefined;
  let serverReady = true;
  try {
    const c = deps.client();
    await c.start(); // resolves at once when running, joins the start in progress otherwise
    serverReady = c.isRunning();
  } catch {
    serverReady = false;
  }
  const files: Record<string, FileReport> = {};
  for (const rel of args.files ?? (await defaultFiles(root))) files[rel] = await reportFile(deps, root, rel.split('\\').join('/'), args);
  const first = Object.keys(files)[0];
  let legend: vscode.SemanticTokensLegend | undefined;
  if (first) legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', vscode.Uri.file(path.join(root, first)));
  const result = {
    activationMs: deps.activationMs,
    serverReady,
    files,
    semanticTokensLegend: { tokenTypes: legend?.tokenTypes ?? [], tokenModifiers: legend?.tokenModifiers ?? [] },
  };
  const out = path.join(root, '.snip-selftest.json');
  await vscode.workspace.fs.writeFile(vscode.Uri.file(out), Buffer.from(JSON.stringify(result, null, 2) + '\n', 'utf8'));
  return out;
}
