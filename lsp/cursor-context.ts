// What the cursor is in, from the text before it (robust while the line is half typed) and the
// AST around it (which action, whether inside a SNIPPET body). Completion and signature help use it.
import type { Action } from '../language/ast.js';
import type { AnalyzedDocument } from './analyzed-document.js';

/** The place the cursor is in, with the offset where the word being typed starts. */
export type CursorContext =
  | { kind: 'comment' }
  | { kind: 'string'; start: number }
  | { kind: 'secret'; start: number }
  | { kind: 'connection'; start: number; action: Action | undefined }
  | { kind: 'request'; start: number; action: Action | undefined }
  | { kind: 'label'; start: number }
  | { kind: 'member'; start: number; root: string; path: string[] }
  | { kind: 'action-type'; start: number }
  | { kind: 'branch'; start: number; action: Action }
  | { kind: 'property'; start: number; action: Action }
  | { kind: 'property-value'; start: number; action: Action; property: string }
  | { kind: 'statement'; start: number }
  | { kind: 'expression'; start: number };

/** Scans a line prefix: whether it ends inside a string (and where that string's text starts) or a comment. */
export function scanLine(prefix: string): { inString: boolean; stringStart: number; inComment: boolean } {
  let quote: string | undefined;
  let stringStart = -1;
  let depth = 0;
  const outer: { quote: string; start: number }[] = [];
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i]!;
    if (quote) {
      if (c === '\\' && prefix[stringStart - 2] === '$') {
        i++;
      } else if (c === quote) {
        quote = undefined;
      } else if (c === '{') {
        outer.push({ quote, start: stringStart });
        quote = undefined;
        depth++;
      }
    } else if (c === '/' && prefix[i + 1] === '/') {
      return { inString: false, stringStart: -1, inComment: true };
    } else if (c === '"' || c === "'") {
      quote = c;
      stringStart = i + 1;
    } else if (c === '}' && depth > 0) {
      depth--;
      const o = outer.pop()!;
      quote = o.quote;
      stringStart = o.start;
    }
  }
  return { inString: quote !== undefined, stringStart, inComment: false };
}

const WORD_BEFORE = /(?:global:)?[A-Za-z_$][A-Za-z0-9_$]*$/i;

function wordStart(prefix: string, lineStart: number): number {
  const m = WORD_BEFORE.exec(prefix);
  return lineStart + (m ? prefix.length - m[0].length : prefix.length);
}

/** The action whose text holds `offset` (or the last one starting before it, for branch lines). */
export function actionAt(doc: AnalyzedDocument, offset: number): Action | undefined {
  if (doc.document.kind !== 'Studio') return undefined;
  let found: Action | undefined;
  for (const a of doc.document.actions) {
    if (a.range.start.offset > offset) break;
    found = a;
  }
  return found;
}

function inSnippetCode(doc: AnalyzedDocument, offset: number): boolean {
  if (doc.document.kind === 'Snippet') return true;
  const a = actionAt(doc, offset);
  if (a?.body) return a.body.range.start.offset < offset && offset < a.body.range.end.offset + (doc.text[a.body.range.end.offset - 1] === '}' ? 0 : 1);
  // While a body is being typed the parser may not have it yet: an unclosed `{` above also counts.
  const from = a ? a.range.start.offset : 0;
  let depth = 0;
  const scan = doc.text.slice(from, offset);
  for (const line of scan.split(/\r?\n/)) {
    const s = scanLine(line);
    if (s.inComment) continue;
    for (const c of line.replace(/"[^"]*"|'[^']*'/g, '')) {
      if (c === '{') depth++;
      else if (c === '}') depth--;
    }
  }
  return depth > 0;
}

/** Splits a receiver chain such as `req.HEADERS` or `data.items[2]` into root and member path. */
function receiverChain(text: string): { root: string; path: string[] } | undefined {
  const m = /((?:global:)?[A-Za-z_$][A-Za-z0-9_$]*(?:\s*\[[^\]]*\]|\s*\.\s*[A-Za-z_$][A-Za-z0-9_$]*)*)\s*\.\s*$/i.exec(text);
  if (!m) return undefined;
  const parts = m[1]!.replace(/\s+/g, '').replace(/\[[^\]]*\]/g, '.[]').split('.');
  const root = parts.shift()!.replace(/^global:/i, '');
  return { root, path: parts };
}

/** The context at `offset`. */
export function cursorContext(doc: AnalyzedDocument, offset: number): CursorContext {
  const pos = doc.lines.positionAt(offset);
  const lineStart = offset - pos.character;
  const prefix = doc.text.slice(lineStart, offset);
  const scan = scanLine(prefix);
  if (scan.inComment) return { kind: 'comment' };
  const code = inSnippetCode(doc, offset);
  const action = doc.document.kind === 'Studio' ? actionAt(doc, offset) : undefined;
  if (scan.inString) {
    const inText = prefix.slice(scan.stringStart);
    const secret = /\[\[\s*([^\]]*)$/.exec(inText);
    if (secret) return { kind: 'secret', start: offset - secret[1]!.length };
    if (!code && doc.document.kind === 'Studio') {
      const prop = /([A-Za-z_$][A-Za-z0-9_$]*)\s*=\s*$/.exec(prefix.slice(0, scan.stringStart - 1));
      const name = prop?.[1]?.toLowerCase();
      if (name === 'connectname') return { kind: 'connection', start: lineStart + scan.stringStart, action };
      if (name === 'requestname') return { kind: 'request', start: lineStart + scan.stringStart, action };
    }
    return { kind: 'string', start: lineStart + scan.stringStart };
  }
  const start = wordStart(prefix, lineStart);
  const before = prefix.slice(0, start - lineStart);
  if (/->\s*$/.test(before)) return { kind: 'label', start };
  const chain = receiverChain(before);
  if (chain) return { kind: 'member', start, ...chain };
  if (!code && doc.document.kind === 'Studio') {
    const open = unclosedParen(doc, action, offset);
    if (open && action) {
      const value = /([A-Za-z_$][A-Za-z0-9_$]*)\s*=\s*$/.exec(before);
      if (value) return { kind: 'property-value', start, action, property: value[1]! };
      if (/[(,]\s*$/.test(before)) return { kind: 'property', start, action };
      return { kind: 'expression', start };
    }
    if (/^\s*$/.test(before)) {
      if (before.length === 0 || !action) return { kind: 'action-type', start };
      return { kind: 'branch', start, action };
    }
    return { kind: 'expression', start };
  }
  if (/^\s*$/.test(before) || /[{}]\s*$/.test(before)) return { kind: 'statement', start };
  return { kind: 'expression', start };
}

/** Whether the cursor is inside the property parentheses of `action` (an unclosed `(` since its start). */
function unclosedParen(doc: AnalyzedDocument, action: Action | undefined, offset: number): boolean {
  if (!action) return false;
  const text = doc.text.slice(action.range.start.offset, offset).replace(/"[^"\r\n]*"|'[^'\r\n]*'/g, '""');
  let depth = 0;
  for (const c of text) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '{' && depth === 0) return false;
  }
  return depth > 0;
}
