// Semantic tokens (full and range): keywords, strings, numbers and comments from the lexer; names
// classified by the analysis (variables, parameters, members, functions, labels) and the AST
// (built-ins, action types, properties, branches). Names inside string interpolations are split out.
import type { Range as LspRange, SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-types';
import { findBuiltin } from '../language/catalog.js';
import { tokenize } from '../language/lexer.js';
import type { AnalyzedDocument } from './analyzed-document.js';
import { walk } from './ast-walk.js';
import { isKeyword } from './keywords.js';

const TYPES = ['keyword', 'variable', 'parameter', 'function', 'method', 'property', 'string', 'number', 'comment', 'type', 'label', 'enumMember'] as const;
const MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;

type TokenType = (typeof TYPES)[number];
type Modifier = (typeof MODIFIERS)[number];

/** The legend the server announces; token data indexes into it. */
export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TYPES], tokenModifiers: [...MODIFIERS] };

interface Classified {
  type: TokenType;
  modifiers: Modifier[];
  end: number;
}

/** Name classifications by start offset, from the analysis and the AST. */
function classify(doc: AnalyzedDocument): Map<number, Classified> {
  const out = new Map<number, Classified>();
  const set = (start: number, end: number, type: TokenType, ...modifiers: Modifier[]) => out.set(start, { type, modifiers, end });
  for (const o of doc.analysis.symbols.occurrences) {
    const s = o.range.start.offset;
    const e = o.range.end.offset;
    const decl: Modifier[] = o.definition ? ['declaration'] : [];
    if (o.symbol === 'variable') {
      const v = doc.analysis.symbols.variables.get(o.key);
      set(s, e, o.key.includes('/') ? 'parameter' : 'variable', ...decl, ...(v?.system ? (['readonly'] as Modifier[]) : []));
    } else if (o.symbol === 'member') set(s, e, 'property', ...decl);
    else if (o.symbol === 'function') set(s, e, 'function', ...decl);
    else set(s, e, 'label', ...decl);
  }
  walk(doc.document, (n) => {
    switch (n.kind) {
      case 'Call':
        if (!out.has(n.callee.range.start.offset)) {
          set(n.callee.range.start.offset, n.callee.range.end.offset, 'function', ...(findBuiltin(n.callee.name) ? (['defaultLibrary'] as Modifier[]) : []));
        }
        break;
      case 'MethodCall':
        if (!out.has(n.nameRange.start.offset)) {
          set(n.nameRange.start.offset, n.nameRange.end.offset, 'method', ...(findBuiltin(n.name) ? (['defaultLibrary'] as Modifier[]) : []));
        }
        break;
      case 'Member':
        if (!out.has(n.nameRange.start.offset)) set(n.nameRange.start.offset, n.nameRange.end.offset, 'property');
        break;
      case 'Action':
        set(n.typeRange.start.offset, n.typeRange.end.offset, 'type');
        if (!out.has(n.label.range.start.offset)) set(n.label.range.start.offset, n.label.range.end.offset, 'label', 'declaration');
        break;
      case 'Property':
        set(n.name.range.start.offset, n.name.range.end.offset, 'property');
        break;
      case 'Branch':
        if (n.name) set(n.name.range.start.offset, n.name.range.end.offset, 'enumMember');
        if (!out.has(n.target.range.start.offset)) set(n.target.range.start.offset, n.target.range.end.offset, 'label');
        break;
      default:
        break;
    }
  });
  return out;
}

interface Raw {
  offset: number;
  length: number;
  type: TokenType;
  modifiers: Modifier[];
}

/** Semantic tokens of `doc`, all of them or those on the lines of `range`. */
export function semanticTokens(doc: AnalyzedDocument, range?: LspRange): SemanticTokens {
  const names = classify(doc);
  const raws: Raw[] = [];
  const push = (offset: number, length: number, type: TokenType, modifiers: Modifier[] = []) => {
    if (length > 0) raws.push({ offset, length, type, modifiers });
  };
  const firstOffset = range ? doc.lines.offsetAt({ line: range.start.line, character: 0 }) : 0;
  const lastOffset = range ? doc.lines.offsetAt({ line: range.end.line + 1, character: 0 }) : doc.text.length;
  for (const t of tokenize(doc.text)) {
    if (t.offset + t.length <= firstOffset || t.offset >= lastOffset) continue;
    if (t.kind === 'Comment') push(t.offset, t.length, 'comment');
    else if (t.kind === 'NumberLiteral') push(t.offset, t.length, 'number');
    else if (t.kind === 'StringLiteral') {
      // Interpolated names inside the string get their own tokens; the text around them stays a string.
      let at = t.offset;
      const end = t.offset + t.length;
      for (let i = t.offset; i < end; i++) {
        const c = names.get(i);
        if (!c || c.end > end) continue;
        push(at, i - at, 'string');
        push(i, c.end - i, c.type, c.modifiers);
        at = c.end;
        i = c.end - 1;
      }
      push(at, end - at, 'string');
    } else {
      const c = names.get(t.offset);
      if (c) push(t.offset, c.end - t.offset, c.type, c.modifiers);
      else if (isKeyword(t.image) || /^(SCRIPT|PARAMS)$/i.test(t.image)) push(t.offset, t.length, 'keyword');
    }
  }
  return { data: encode(doc, raws) };
}

function encode(doc: AnalyzedDocument, raws: Raw[]): number[] {
  raws.sort((a, b) => a.offset - b.offset);
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  for (const r of raws) {
    const type = TYPES.indexOf(r.type);
    const mods = r.modifiers.reduce((m, x) => m | (1 << MODIFIERS.indexOf(x)), 0);
    // Tokens may not span lines: a multi-line token is emitted once per line.
    let offset = r.offset;
    const end = r.offset + r.length;
    while (offset < end) {
      const p = doc.lines.positionAt(offset);
      const lineEnd = doc.lines.offsetAt({ line: p.line, character: Number.MAX_SAFE_INTEGER });
      const length = Math.min(end, lineEnd) - offset;
      if (length > 0) {
        data.push(p.line - prevLine, p.line === prevLine ? p.character - prevChar : p.character, length, type, mods);
        prevLine = p.line;
        prevChar = p.character;
      }
      offset = Math.max(lineEnd + 1, offset + 1);
      if (doc.text[offset - 1] === '\r' && doc.text[offset] === '\n') offset++;
    }
  }
  return data;
}
