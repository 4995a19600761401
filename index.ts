// The public API of the snipstudio package.
export * from './language/ast.js';
export * from './language/codes.js';
export * from './language/diagnostics.js';
export * from './language/analyze.js';
export * from './language/parse.js';
export { formatDocument, formatRange, formatSnippet, formatStudio, type FormatEdit } from './language/formatter.js';
export { compile, type CompileResult, type Program, type RunOptions, type RunResult } from './runtime/compile.js';
export type { RunError } from './runtime/errors.js';
export { runScript, runCompiledScript, type RunScriptOptions, type RunScriptResult } from './runtime/run-script.js';
export { closeScriptWatchers } from './runtime/script-cache.js';
export { compileScript, type CompiledScriptResult, type ScriptKind } from './runtime/flow/compile-script.js';
export { ActionRegistry, CORE_ACTIONS, defaultActions } from './runtime/flow/actions/index.js';
export type { ActionContext, ActionHandler, ActionOutcome, CompiledAction, CompiledFlow } from './runtime/flow/types.js';
export * from './runtime/trace/events.js';
export { tableSink, summarise, type TableOptions } from './runtime/trace/table.js';
export { jsonlSink, toJsonLine, parseJsonLines } from './runtime/trace/jsonl.js';
export { traceStream, teeSinks, type TraceStream } from './runtime/trace/stream.js';

// The integration hub for hosts (docs/hub.md "From code"): the services a run takes as `hub`, the
// token cache to share across runs, the file store (one per hub per process) and its contract.
export { HubServices, openFileHub, sharedFileHubStore, type HubServicesOptions, type OpenFileHubOptions } from './runtime/hub/services.js';
export { TokenCache, type TokenCacheOptions, type TokenEvent } from './runtime/hub/token-cache.js';
export { FileHubStore, hubDirFrom, KEY_FILE, type FileHubStoreOptions, type HubFileProblem } from './runtime/hub/file-store.js';
export type { HubStore, ConnectionParts, ConnectionPatch, NewConnection, NewRequest, NewTemplate } from './runtime/hub/store.js';
export type { AuthDetails, AuthType, Connection, ConnectionStatus, HubRequest, MtlsSettings, SecretInfo, Template, TemplateHeader } from './runtime/hub/model.js';
export { HttpClient, type HttpClientOptions } from './runtime/hub/http.js';
export { connectionView, storeSource } from './runtime/hub/connection-view.js';
export { SecretMap } from './runtime/hub/secret-map.js';
export { expandVars, loadHubDefinition, seedHub, type HubDefinition } from './runtime/hub/seed.js';
