// Code actions: quick fixes where the fix is obvious (a suggested name from the diagnostic's data:
// member case, unknown function, label, branch, action type, property, hub connection/request/secret;
// a `-` in a member name to the HYPHENPLACEHOLDER form) and wiring a branch an action leaves unwired.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range as LspRange, type TextEdit } from 'vscode-languageserver-types';
import { branchNames, findAction } from '../language/action-catalog.js';
import type { Action } from '../language/ast.js';
import type { AnalyzedDocument } from './analyzed-document.js';

/** Diagnostic codes whose `data.suggestion` replaces the diagnostic's range. */
const SUGGESTION_CODES = new Set(['SNIP2001', 'SNIP2003', 'SNIP2014', 'SNIP2015', 'SNIP2017', 'SNIP2020', 'SNIP4002', 'SNIP4008']);

function fix(title: string, uri: string, diagnostic: Diagnostic | undefined, edits: TextEdit[], preferred = true): CodeAction {
  const a: CodeAction = { title, kind: CodeActionKind.QuickFix, edit: { changes: { [uri]: edits } } };
  if (diagnostic) a.diagnostics = [diagnostic];
  if (preferred) a.isPreferred = true;
  return a;
}

function suggestionFix(doc: AnalyzedDocument, d: Diagnostic): CodeAction | undefined {
  const data = (d.data ?? {}) as Record<string, unknown>;
  const code = String(d.code);
  if (code === 'SNIP2010' && typeof data.expected === 'string') {
    return fix(`Change to '${data.expected}' (as assigned)`, doc.uri, d, [{ range: d.range, newText: data.expected }]);
  }
  if (!SUGGESTION_CODES.has(code) || typeof data.suggestion !== 'string') return undefined;
  const s = data.suggestion;
  if (code === 'SNIP2020') return fix(`Write '${s}' (HYPHENPLACEHOLDER form)`, doc.uri, d, [{ range: d.range, newText: s }]);
  if (code === 'SNIP4008') return fix(`Change to [[ ${s} ]]`, doc.uri, d, [{ range: d.range, newText: `[[ ${s} ]]` }]);
  const quoted = data.quoted === true;
  return fix(`Change to '${s}'`, doc.uri, d, [{ range: d.range, newText: quoted ? JSON.stringify(s) : s }]);
}

function overlaps(doc: AnalyzedDocument, a: Action, range: LspRange): boolean {
  const from = doc.lines.offsetAt(range.start);
  const to = doc.lines.offsetAt(range.end);
  return a.range.start.offset <= to && from <= a.range.end.offset;
}

/** The label a new branch should lead to: where the action's errors go, else its Default, else an END. */
function branchTarget(doc: AnalyzedDocument, a: Action, branch: string): string | undefined {
  const by = (n: string) => a.branches.find((b) => (b.name?.key ?? 'default') === n)?.target.name;
  const failing = branch.toLowerCase() !== 'onsuccess' && branch.toLowerCase() !== 'true';
  const fromSiblings = failing ? (by('onerror') ?? by('error')) : undefined;
  if (fromSiblings) return fromSiblings;
  const dflt = by('default');
  if (dflt) return dflt;
  if (doc.document.kind !== 'Studio') return undefined;
  return doc.document.actions.find((x) => findAction(x.type)?.terminal)?.label.name;
}

function wireBranchActions(doc: AnalyzedDocument, range: LspRange): CodeAction[] {
  if (doc.document.kind !== 'Studio') return [];
  const out: CodeAction[] = [];
  for (const a of doc.document.actions) {
    if (!overlaps(doc, a, range)) continue;
    const spec = findAction(a.type);
    if (!spec || spec.terminal || spec.caseValues) continue;
    const wired = new Set(a.branches.map((b) => b.name?.key ?? 'default'));
    const missing = branchNames(spec).filter((n) => n !== 'Default' && !wired.has(n.toLowerCase()));
    const last = a.branches.at(-1);
    const indent = last ? doc.lines.lineText(last.range.start.line - 1).match(/^\s*/)![0] : '  ';
    const endLine = (last ?? a).range.end.line - 1;
    const at = { line: endLine, character: doc.lines.lineText(endLine).length };
    for (const name of missing) {
      const target = branchTarget(doc, a, name);
      if (!target) continue;
      out.push(fix(`Wire branch '${name}' of '${a.label.name}' to '${target}'`, doc.uri, undefined, [{ range: { start: at, end: at }, newText: `\n${indent}${name} -> ${target}` }], false));
    }
  }
  return out;
}

const sameRange = (a: LspRange, b: LspRange) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/**
 * Code actions for `range` given the diagnostics the editor shows there. `own` are the server's
 * current diagnostics: a client that drops `data` still gets the fix.
 */
export function codeActions(doc: AnalyzedDocument, range: LspRange, diagnostics: readonly Diagnostic[], own: readonly Diagnostic[] = []): CodeAction[] {
  const out: CodeAction[] = [];
  for (const given of diagnostics) {
    const match = given.data === undefined ? own.find((o) => o.code === given.code && sameRange(o.range, given.range)) : undefined;
    const d = match ? { ...given, data: match.data } : given;
    const a = suggestionFix(doc, d);
    if (a) out.push(a);
  }
  out.push(...wireBranchActions(doc, range));
  return out;
}
