// Source text to a runnable script: `.studio` text to a CompiledFlow, `.snip` text to a flow of one
// SNIPPET action. Compiled scripts are cached by content (default actions only) and immutable.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { hasErrors, type Diagnostic } from '../../language/diagnostics.js';
import { parseSnippet, parseStudio } from '../../language/parse.js';
import { analyzeSnippet, analyzeStudio, mergeDiagnostics } from '../../language/analyze.js';
import { defaultActions, type ActionRegistry } from './actions/index.js';
import { guardCompile } from '../interpreter/compile-guard.js';
import { compileFlow, snippetFlow } from './load.js';
import type { CompiledFlow } from './types.js';

export type ScriptKind = 'studio' | 'snip';

export interface CompiledScriptResult {
  diagnostics: Diagnostic[];
  /** Undefined when the script has errors: it cannot start. */
  flow: CompiledFlow | undefined;
  kind: ScriptKind;
}

const cache = new LRUCache<string, CompiledScriptResult>({ max: 200 });

/** Action-type checks of analysis (unknown type, branch name, property) that a custom registry settles. */
const REGISTRY_CHECKED = new Set<string>(['SNIP2014', 'SNIP2015', 'SNIP2016', 'SNIP2017']);

/** `.snip` by extension; without a name, a source whose first word is an action keyword is a flow. */
export function scriptKind(fileName: string | undefined, source: string): ScriptKind {
  if (fileName !== undefined) {
    const lower = fileName.toLowerCase();
    if (lower.endsWith('.snip')) return 'snip';
    if (lower.endsWith('.studio')) return 'studio';
  }
  const first = /^\s*(?:\/\/[^\n]*\n\s*)*([A-Za-z]+)/.exec(source)?.[1]?.toUpperCase();
  return first === 'SCRIPT' || first === 'PARAMS' || first === 'BEGIN' ? 'studio' : 'snip';
}

/** Parses and compiles a script once; identical sources share one compiled flow. */
export function compileScript(
  source: string,
  options: { fileName?: string; kind?: ScriptKind; actions?: ActionRegistry } = {},
): CompiledScriptResult {
  const kind = options.kind ?? scriptKind(options.fileName, source);
  const cacheable = options.actions === undefined || options.actions === defaultActions;
  const key = cacheable
    ? createHash('sha256').update(kind).update('\0').update(options.fileName ?? '').update('\0').update(source).digest('base64')
    : '';
  const hit = cacheable ? cache.get(key) : undefined;
  if (hit !== undefined) return hit;
  let result: CompiledScriptResult;
  if (kind === 'snip') {
    const parsed = parseSnippet(source, { fileName: options.fileName });
    // One verdict with `snip check`: analysis errors stop the script as syntax errors do.
    const diagnostics = mergeDiagnostics(parsed.diagnostics, analyzeSnippet(parsed.value).diagnostics);
    const flow = hasErrors(diagnostics)
      ? undefined
      : guardCompile(() => snippetFlow(parsed.value, options.fileName), parsed.value.range, (d) => diagnostics.push(d));
    result = { kind, diagnostics, flow };
  } else {
    const parsed = parseStudio(source, { fileName: options.fileName });
    let analysis = analyzeStudio(parsed.value).diagnostics;
    // Extra action types are checked by compileFlow against their registry, not the built-in catalog.
    if (!cacheable) analysis = analysis.filter((d) => !REGISTRY_CHECKED.has(d.code));
    const checked = mergeDiagnostics(parsed.diagnostics, analysis);
    if (hasErrors(checked)) result = { kind, diagnostics: checked, flow: undefined };
    else {
      const diagnostics = [...checked];
      const compiled = guardCompile(
        () => compileFlow(parsed.value, { fileName: options.fileName, source, actions: options.actions }),
        parsed.value.range,
        (d) => diagnostics.push(d),
      );
      result = { kind, diagnostics: compiled ? mergeDiagnostics(diagnostics, compiled.diagnostics) : diagnostics, flow: compiled?.value };
    }
  }
  if (cacheable) cache.set(key, result);
  return result;
}
