// Folding ranges: blocks (IF, loops, SWITCH/SELECT, FUNCTION), actions of a .studio script with
// their bodies and branch lines, and runs of consecutive comment lines.
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { Comment } from '../language/ast.js';
import type { AnalyzedDocument } from './analyzed-document.js';
import { walk } from './ast-walk.js';

const BLOCKS = new Set(['Block', 'Action']);

/** Folding ranges of `doc`, sorted by start line. */
export function foldingRanges(doc: AnalyzedDocument): FoldingRange[] {
  const out: FoldingRange[] = [];
  const seen = new Set<string>();
  const add = (startLine: number, endLine: number, kind?: FoldingRangeKind) => {
    if (endLine <= startLine || seen.has(`${startLine}`)) return;
    seen.add(`${startLine}`);
    out.push(kind ? { startLine, endLine, kind } : { startLine, endLine });
  };
  walk(doc.document, (n) => {
    if (!BLOCKS.has(n.kind)) return;
    // A block folds from its `{` line to the line before its `}`, so the closing brace stays visible.
    const endsWithBrace = n.kind === 'Block' && doc.text[n.range.end.offset - 1] === '}';
    add(n.range.start.line - 1, n.range.end.line - 1 - (endsWithBrace ? 1 : 0));
  });
  const comments: Comment[] = doc.document.comments;
  let runStart: Comment | undefined;
  let prev: Comment | undefined;
  for (const c of comments) {
    const ownLine = doc.lines.lineText(c.range.start.line - 1).trimStart().startsWith('//');
    if (!ownLine) continue;
    if (prev && c.range.start.line === prev.range.start.line + 1) {
      prev = c;
      continue;
    }
    if (runStart && prev) add(runStart.range.start.line - 1, prev.range.start.line - 1, FoldingRangeKind.Comment);
    runStart = prev = c;
  }
  if (runStart && prev) add(runStart.range.start.line - 1, prev.range.start.line - 1, FoldingRangeKind.Comment);
  return out.sort((a, b) => a.startLine - b.startLine);
}
