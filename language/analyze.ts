// The public entry of semantic analysis: symbols and diagnostics for a parsed .snip or .studio
// document. Pure; never throws on any AST the parser returns.
import type { SnippetProgram, StudioScript } from './ast.js';
import { sortDiagnostics, type Diagnostic } from './diagnostics.js';
import { parseDocument } from './parse.js';
import { createContext, report, type AnalysisContext } from './analysis/context.js';
import { declareFunctions, functionDeclarations } from './analysis/functions.js';
import { checkStatements, collectAssignedAnywhere } from './analysis/snippet-checks.js';
import { checkStudioScript } from './analysis/studio-checks.js';
import type { SymbolTable } from './analysis/symbols.js';

export type {
  DefinitionRole,
  FunctionSymbol,
  LabelSymbol,
  MemberSymbol,
  Occurrence,
  SymbolTable,
  VariableDefinition,
  VariableKind,
  VariableSymbol,
} from './analysis/symbols.js';
export { occurrenceAt } from './analysis/symbols.js';
export { closestName, editDistance } from './analysis/edit-distance.js';

export interface AnalysisOptions {
  /** User functions declared in other files of the workspace. */
  externalFunctions?: { name: string; params: string[] }[];
}

/** What analysis found: diagnostics (unsorted) and the symbol table. */
export interface Analysis {
  diagnostics: Diagnostic[];
  symbols: SymbolTable;
}

function start(options: AnalysisOptions | undefined): AnalysisContext {
  const ctx = createContext();
  for (const f of options?.externalFunctions ?? []) ctx.functions.set(f.name.toLowerCase(), { name: f.name, params: f.params });
  return ctx;
}

function finish(ctx: AnalysisContext, run: () => void, at: SnippetProgram | StudioScript): Analysis {
  try {
    run();
  } catch (e) {
    // A bug here must not take the editor or the CLI down: report it as a diagnostic instead.
    report(ctx, 'SNIP2023', `internal analysis error: ${(e as Error).message}`, at.range, 'info');
  }
  ctx.table.occurrences.sort((a, b) => a.range.start.offset - b.range.start.offset);
  return { diagnostics: ctx.diagnostics, symbols: ctx.table };
}

/** Analyses a .snip file (or any Snippet program on its own). */
export function analyzeSnippet(program: SnippetProgram, options?: AnalysisOptions): Analysis {
  const ctx = start(options);
  return finish(
    ctx,
    () => {
      declareFunctions(ctx, functionDeclarations(program.body));
      collectAssignedAnywhere(ctx, program.body);
      checkStatements(ctx, program.body);
    },
    program,
  );
}

/** Analyses a .studio script: its flow and every SNIPPET body, with script-wide variables. */
export function analyzeStudio(script: StudioScript, options?: AnalysisOptions): Analysis {
  const ctx = start(options);
  return finish(ctx, () => checkStudioScript(ctx, script), script);
}

/** Parse + analyze in one call; diagnostics of both phases, sorted and without duplicates. */
export function checkDocument(
  fileName: string,
  source: string,
  options?: AnalysisOptions,
): { document: SnippetProgram | StudioScript; analysis: Analysis; diagnostics: Diagnostic[] } {
  const parsed = parseDocument(fileName, source);
  const document = parsed.value;
  const analysis = document.kind === 'Studio' ? analyzeStudio(document, options) : analyzeSnippet(document, options);
  return { document, analysis, diagnostics: mergeDiagnostics(parsed.diagnostics, analysis.diagnostics) };
}

/**
 * Diagnostics of several phases as one sorted list without duplicates (same code at the same place).
 * `snip check`, `snip run`, `compile()` and `runScript()` all use it, so they reach one verdict.
 */
export function mergeDiagnostics(...phases: readonly (readonly Diagnostic[])[]): Diagnostic[] {
  const seen = new Set<string>();
  const out = phases.flat().filter((d) => {
    const key = `${d.code}@${d.range.start.offset}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return sortDiagnostics(out);
}
