import { describe, expect, test } from 'vitest';
import { documentSymbols } from '../../lsp/document-symbols.js';
import { foldingRanges } from '../../lsp/folding.js';
import { workspaceSymbols } from '../../lsp/workspace-symbols.js';
import { at } from './cursor.js';

const STUDIO = [
  'BEGIN start -> build',
  '',
  'SNIPPET build {',
  '  FUNCTION twice(n)',
  '  {',
  '    RETURN n * 2',
  '  }',
  '  ASSIGN x = twice(2)',
  '}',
  '  Error -> done',
  '',
  'END done',
].join('\n');

describe('document symbols', () => {
  test('actions with the functions of their SNIPPET bodies', () => {
    const { doc } = at(STUDIO, 'a.studio');
    const symbols = documentSymbols(doc);
    expect(symbols.map((s) => [s.name, s.detail, s.children?.map((c) => `${c.name}${c.detail}`)])).toEqual([
      ['start', 'BEGIN', undefined],
      ['build', 'SNIPPET', ['twice(n)']],
      ['done', 'END', undefined],
    ]);
    expect(symbols[1]!.range).toEqual({ start: { line: 2, character: 0 }, end: { line: 9, character: 15 } });
    expect(symbols[1]!.selectionRange).toEqual({ start: { line: 2, character: 8 }, end: { line: 2, character: 13 } });
  });

  test('functions of a .snip file', () => {
    const { doc } = at('FUNCTION a(x, y)\n{\n  RETURN x\n}\nFUNCTION b()\n{\n  RETURN 1\n}');
    expect(documentSymbols(doc).map((s) => `${s.name}${s.detail}`)).toEqual(['a(x, y)', 'b()']);
  });
});

describe('workspace symbols', () => {
  test('labels and functions of every document, by subsequence of the query', () => {
    const a = at(STUDIO, 'a.studio').doc;
    const b = at('FUNCTION buildUrl(x)\n{\n  RETURN x\n}', 'lib.snip').doc;
    expect(workspaceSymbols('bld', [a, b]).map((s) => [s.name, s.containerName, s.location.uri])).toEqual([
      ['build', 'SNIPPET in a.studio', 'file:///ws/a.studio'],
      ['buildUrl', 'lib.snip', 'file:///ws/lib.snip'],
    ]);
    expect(workspaceSymbols('', [a, b]).map((s) => s.name)).toEqual(['build', 'buildUrl', 'done', 'start', 'twice']);
  });
});

describe('folding ranges', () => {
  test('blocks fold to the line before their brace, actions to their last branch, comment runs', () => {
    const { doc } = at(['// one', '// two', 'IF a = 1', '{', '  TRACE 1', '  TRACE 2', '}', 'ELSE', '{', '  TRACE 3', '}'].join('\n'));
    expect(foldingRanges(doc)).toEqual([
      { startLine: 0, endLine: 1, kind: 'comment' },
      { startLine: 3, endLine: 5 },
      { startLine: 8, endLine: 9 },
    ]);
    const studio = at(STUDIO, 'a.studio').doc;
    expect(foldingRanges(studio)).toEqual([
      { startLine: 2, endLine: 9 },
      { startLine: 4, endLine: 5 },
    ]);
  });
});
