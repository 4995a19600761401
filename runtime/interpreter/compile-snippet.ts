// Entry points of the compiler: a SnippetProgram or an Expression to closures (see api.ts).
import type { Expression, SnippetProgram } from '../../language/ast.js';
import type { CompileOptions, CompiledExpression, CompiledSnippet } from './api.js';

/** Compiles a parsed snippet once; the result executes many times, concurrently. */
export function compileSnippetAst(ast: SnippetProgram, options: CompileOptions = {}): CompiledSnippet {
  void ast;
  void options;
  throw new Error('compileSnippetAst: landing shortly');
}

/** Compiles one expression (IF action Expression, CASE Variable, action properties). */
export function compileExpression(expr: Expression, options: CompileOptions = {}): CompiledExpression {
  void expr;
  void options;
  throw new Error('compileExpression: landing shortly');
}
