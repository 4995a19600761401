// The public API of the snipstudio package.
export * from './language/ast.js';
export * from './language/codes.js';
export * from './language/diagnostics.js';
export * from './language/analyze.js';
export { formatDocument, formatRange, formatSnippet, formatStudio, type FormatEdit } from './language/formatter.js';
export { compile, type CompileResult, type Program, type RunOptions, type RunResult } from './runtime/compile.js';
export type { RunError } from './runtime/errors.js';
