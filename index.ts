// The public API of the snipstudio package.
export * from './language/ast.js';
export * from './language/codes.js';
export * from './language/diagnostics.js';
export * from './language/analyze.js';
export { formatDocument, formatRange, formatSnippet, formatStudio, type FormatEdit } from './language/formatter.js';
