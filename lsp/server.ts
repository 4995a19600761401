// The language server process: LSP wiring over the feature functions, nothing else. The only file
// that imports vscode-languageserver/node. Start with `snip lsp --stdio` or `node dist/lsp/server.js --stdio`.
import { pathToFileURL, fileURLToPath } from 'node:url';
import {
  createConnection,
  DocumentDiagnosticReportKind,
  FileChangeType,
  ResponseError,
  ErrorCodes,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzedDocument } from './analyzed-document.js';
import { isScriptFile, fileNameOf } from './analyzed-document.js';
import { codeActions } from './code-actions.js';
import { COMPLETION_TRIGGERS, completion, resolveCompletion } from './completion.js';
import { definition } from './definition.js';
import { documentDiagnostics } from './diagnostics.js';
import { documentSymbols } from './document-symbols.js';
import { foldingRanges } from './folding.js';
import { formatDocumentEdits, formatRangeEdits } from './formatting.js';
import { documentHighlights } from './highlights.js';
import { hover } from './hover.js';
import { inlayHints } from './inlay-hints.js';
import { references } from './references.js';
import { prepareRename, rename } from './rename.js';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './semantic-tokens.js';
import { SIGNATURE_TRIGGERS, signatureHelp } from './signature-help.js';
import { Workspace } from './workspace.js';
import { workspaceSymbols } from './workspace-symbols.js';

/** Options a client may pass in `initializationOptions`. */
export interface ServerOptions {
  /** Delay between the last edit and published diagnostics, in ms (default 60). */
  diagnosticsDelayMs?: number;
  /** The hub directory (default: `SNIP_HUB`, else `hub/` in the workspace folder). */
  hubDir?: string;
}

const DEFAULT_DELAY_MS = 60;

/** Starts a server on a connection (stdio by default) and returns it. */
export function startServer(connection: Connection = createConnection(process.stdin, process.stdout), env: Record<string, string | undefined> = process.env): Connection {
  // Anything printed to stdout would corrupt the protocol stream.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  const documents = new TextDocuments(TextDocument);
  let workspace = new Workspace(undefined);
  let delay = DEFAULT_DELAY_MS;
  let push = true;
  let canRefresh = false;
  let hubDir: string | undefined;
  const timers = new Map<string, NodeJS.Timeout>();
  const published = new Map<string, string>();

  const doc = (uri: string): AnalyzedDocument | undefined => workspace.get(uri);

  // `onlyIfChanged`: documents re-checked because another one changed publish only news.
  const publish = (uri: string, onlyIfChanged: boolean) => {
    timers.delete(uri);
    const d = doc(uri);
    if (!d || !push) return;
    const diagnostics = documentDiagnostics(d, workspace);
    const key = JSON.stringify(diagnostics);
    if (onlyIfChanged && published.get(uri) === key) return;
    published.set(uri, key);
    void connection.sendDiagnostics({ uri, version: d.version, diagnostics });
  };

  const schedule = (uri: string, ms = delay, onlyIfChanged = false) => {
    clearTimeout(timers.get(uri));
    if (ms <= 0) publish(uri, onlyIfChanged);
    else timers.set(uri, setTimeout(() => publish(uri, onlyIfChanged), ms));
  };

  const refreshOpen = (except?: string) => {
    for (const d of documents.all()) if (d.uri !== except && !timers.has(d.uri)) schedule(d.uri, delay * 2, true);
  };

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    const options = (params.initializationOptions ?? {}) as ServerOptions;
    if (typeof options.diagnosticsDelayMs === 'number') delay = options.diagnosticsDelayMs;
    const rootUri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    const root = rootUri?.startsWith('file:') ? fileURLToPath(rootUri) : undefined;
    workspace = new Workspace(root);
    hubDir = options.hubDir ?? env.SNIP_HUB;
    await workspace.load(hubDir);
    // A client that pulls diagnostics gets them only on request, so they are not shown twice.
    push = params.capabilities.textDocument?.diagnostic === undefined;
    // ... and then learns of hub or script changes on disk only when asked to pull again.
    canRefresh = params.capabilities.workspace?.diagnostics?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: true },
        hoverProvider: true,
        signatureHelpProvider: { triggerCharacters: SIGNATURE_TRIGGERS, retriggerCharacters: [','] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        documentHighlightProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true, range: true },
        inlayHintProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false },
      },
      serverInfo: { name: 'snip', version: '0.1.0' },
    };
  });

  documents.onDidOpen((e) => {
    workspace.setOpen(e.document.uri, e.document.getText(), e.document.version);
    schedule(e.document.uri, 0);
  });
  documents.onDidChangeContent((e) => {
    workspace.setOpen(e.document.uri, e.document.getText(), e.document.version);
    schedule(e.document.uri);
    refreshOpen(e.document.uri);
  });
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    published.delete(e.document.uri);
    void workspace.close(e.document.uri).then(() => refreshOpen());
    if (push) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  connection.onDidChangeWatchedFiles(async (e) => {
    for (const c of e.changes) {
      if (isScriptFile(fileNameOf(c.uri))) await workspace.fileChanged(c.uri, c.type === FileChangeType.Deleted);
      else if (c.uri.endsWith('.json')) await workspace.reloadHub(hubDir);
    }
    refreshOpen();
    if (!push && canRefresh) void connection.languages.diagnostics.refresh();
  });

  const withDoc = <T>(uri: string, empty: T, f: (d: AnalyzedDocument) => T): T => {
    const d = doc(uri);
    return d ? f(d) : empty;
  };

  connection.languages.diagnostics.on((p) => ({
    kind: DocumentDiagnosticReportKind.Full,
    items: withDoc(p.textDocument.uri, [], (d) => documentDiagnostics(d, workspace)),
  }));
  connection.onCompletion((p) => withDoc(p.textDocument.uri, [], (d) => completion(d, p.position, workspace)));
  connection.onCompletionResolve((item) => resolveCompletion(item, workspace));
  connection.onHover((p) => withDoc(p.textDocument.uri, null, (d) => hover(d, p.position, workspace)));
  connection.onSignatureHelp((p) => withDoc(p.textDocument.uri, null, (d) => signatureHelp(d, p.position, workspace)));
  connection.onDefinition((p) => withDoc(p.textDocument.uri, [], (d) => definition(d, p.position, workspace)));
  connection.onReferences((p) => withDoc(p.textDocument.uri, [], (d) => references(d, p.position, workspace, p.context.includeDeclaration)));
  connection.onPrepareRename((p) =>
    withDoc(p.textDocument.uri, null, (d) => {
      const r = prepareRename(d, p.position, workspace);
      if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
      return r;
    }),
  );
  connection.onRenameRequest((p) =>
    withDoc(p.textDocument.uri, null, (d) => {
      const r = rename(d, p.position, p.newName, workspace);
      if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
      return r;
    }),
  );
  connection.onDocumentSymbol((p) => withDoc(p.textDocument.uri, [], documentSymbols));
  connection.onWorkspaceSymbol((p) => workspaceSymbols(p.query, workspace.documents()));
  connection.onDocumentHighlight((p) => withDoc(p.textDocument.uri, [], (d) => documentHighlights(d, p.position)));
  connection.onFoldingRanges((p) => withDoc(p.textDocument.uri, [], foldingRanges));
  connection.languages.semanticTokens.on((p) => withDoc(p.textDocument.uri, { data: [] }, (d) => semanticTokens(d)));
  connection.languages.semanticTokens.onRange((p) => withDoc(p.textDocument.uri, { data: [] }, (d) => semanticTokens(d, p.range)));
  connection.languages.inlayHint.on((p) => withDoc(p.textDocument.uri, [], (d) => inlayHints(d, p.range, workspace)));
  connection.onDocumentFormatting((p) => withDoc(p.textDocument.uri, [], formatDocumentEdits));
  connection.onDocumentRangeFormatting((p) => withDoc(p.textDocument.uri, [], (d) => formatRangeEdits(d, p.range)));
  connection.onCodeAction((p) =>
    withDoc(p.textDocument.uri, [], (d) => codeActions(d, p.range, p.context.diagnostics, documentDiagnostics(d, workspace))),
  );

  documents.listen(connection);
  connection.listen();
  return connection;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) startServer();
