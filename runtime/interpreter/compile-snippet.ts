// Entry points of the compiler: a SnippetProgram or an Expression to closures (see api.ts). The
// fast variant is built at once; the traced and debug variants only when a run asks for them.
import type { Expression, SnippetProgram } from '../../language/ast.js';
import type { SnipError } from '../errors.js';
import type { Value } from '../values.js';
import type { CompileOptions, CompiledExpression, CompiledSnippet, ExecEnv } from './api.js';
import { invokeUser } from './compile-call.js';
import { compileExpr } from './compile-expr.js';
import { compileBlock, type St } from './compile-stmt.js';
import { Frame, Run, locate } from './run.js';
import { DEFAULT_LINKER, Linker } from './links.js';
import { Unit, type Mode } from './unit.js';

interface Variant {
  unit: Unit;
  body: St;
  mayBeAsync: boolean;
}

function build(ast: SnippetProgram, fileName: string | undefined, mode: Mode, linker: Linker): Variant {
  const unit = new Unit(fileName, mode, linker);
  unit.declareFunctions(ast.body);
  for (const fn of unit.fns.values()) fn.body = compileBlock({ unit, fn }, fn.decl.body);
  const body = compileBlock({ unit, fn: undefined }, ast.body);
  return { unit, body, mayBeAsync: unit.blockMayBeAsync(ast.body) };
}

function bindCells(unit: Unit, env: ExecEnv): Frame['g'] {
  const g = new Array(unit.spellings.length);
  for (let i = 0; i < g.length; i++) g[i] = env.store.cell(unit.spellings[i]!);
  return g;
}

function failed(e: unknown, rt: Run, env: ExecEnv): SnipError {
  const err = locate(e, rt.range, rt.file);
  const text = err.shortText();
  env.store.set('_ERR', text);
  env.store.set('__err', text);
  return err;
}

class Program implements CompiledSnippet {
  private readonly variants: Partial<Record<Mode, Variant>> = {};
  readonly mayBeAsync: boolean;

  constructor(
    private readonly ast: SnippetProgram,
    readonly fileName: string | undefined,
    private readonly linker: Linker,
  ) {
    const fast = build(ast, fileName, 'fast', linker);
    this.variants.fast = fast;
    this.mayBeAsync = fast.mayBeAsync;
  }

  execute(env: ExecEnv): SnipError | undefined | Promise<SnipError | undefined> {
    const mode: Mode = env.debug ? 'debug' : env.onStatement ? 'traced' : 'fast';
    const v = (this.variants[mode] ??= build(this.ast, this.fileName, mode, this.linker));
    const rt = new Run(env, this.fileName);
    try {
      rt.checkClock();
      const g = bindCells(v.unit, env);
      const file = this.fileName;
      for (const fn of v.unit.fns.values()) {
        env.functions.set({
          name: fn.decl.name.name,
          paramCount: fn.decl.params.length,
          range: fn.decl.range,
          fileName: file,
          invoke: (args: Value[], context?: object) => invokeUser(context instanceof Run ? context : rt, g, fn, file, args.slice()),
        });
      }
      const r = v.body(new Frame(rt, g, []));
      if (r instanceof Promise) return r.then(() => undefined, (e: unknown) => failed(e, rt, env));
      return undefined;
    } catch (e) {
      return failed(e, rt, env);
    }
  }
}

/** Compiles a parsed snippet once; the result executes many times, concurrently. */
export function compileSnippetAst(ast: SnippetProgram, options: CompileOptions = {}): CompiledSnippet {
  return new Program(ast, options.fileName, linkerFor(options));
}

/** Compiles one expression (IF action Expression, CASE Variable, action properties). */
export function compileExpression(expr: Expression, options: CompileOptions = {}): CompiledExpression {
  const unit = new Unit(options.fileName, 'fast', linkerFor(options));
  const compiled = compileExpr({ unit, fn: undefined }, expr);
  const range = expr.range;
  return {
    mayBeAsync: compiled.async,
    evaluate(env: ExecEnv): Value | Promise<Value> {
      const rt = new Run(env, options.fileName);
      rt.range = range;
      try {
        const v = compiled.fn(new Frame(rt, bindCells(unit, env), []));
        if (v instanceof Promise) {
          return v.catch((e: unknown) => {
            throw locate(e, range, options.fileName);
          });
        }
        return v;
      } catch (e) {
        throw locate(e, range, options.fileName);
      }
    },
  };
}

function linkerFor(options: CompileOptions): Linker {
  return options.links === undefined ? DEFAULT_LINKER : new Linker(options.links);
}
