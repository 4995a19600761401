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
export { compileScript, type CompiledScriptResult, type ScriptKind } from './runtime/flow/compile-script.js';
export { ActionRegistry, CORE_ACTIONS, defaultActions } from './runtime/flow/actions/index.js';
export type { ActionContext, ActionHandler, ActionOutcome, CompiledAction, CompiledFlow } from './runtime/flow/types.js';
export * from './runtime/trace/events.js';
export { tableSink, summarise, type TableOptions } from './runtime/trace/table.js';
export { jsonlSink, toJsonLine, parseJsonLines } from './runtime/trace/jsonl.js';
export { traceStream, teeSinks, type TraceStream } from './runtime/trace/stream.js';
