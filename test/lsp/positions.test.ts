import { describe, expect, test } from 'vitest';
import { LineIndex, toLspRange } from '../../lsp/positions.js';

describe('positions', () => {
  test('AST ranges (1-based) become LSP ranges (0-based)', () => {
    expect(toLspRange({ start: { line: 1, column: 1, offset: 0 }, end: { line: 3, column: 5, offset: 20 } })).toEqual({
      start: { line: 0, character: 0 },
      end: { line: 2, character: 4 },
    });
  });

  test('offsets and positions round-trip over LF, CRLF and a last line without break', () => {
    const text = 'ab\r\ncd\nef';
    const lines = new LineIndex(text);
    expect(lines.lineCount).toBe(3);
    for (let o = 0; o <= text.length; o++) {
      if (text[o - 1] === '\r') continue;
      expect(lines.offsetAt(lines.positionAt(o))).toBe(o);
    }
    expect(lines.positionAt(4)).toEqual({ line: 1, character: 0 });
    expect(lines.lineText(0)).toBe('ab');
    expect(lines.astPositionAt(8)).toEqual({ line: 3, column: 2, offset: 8 });
  });

  test('positions past a line end or the text clamp', () => {
    const lines = new LineIndex('ab\ncd');
    expect(lines.offsetAt({ line: 0, character: 99 })).toBe(2);
    expect(lines.offsetAt({ line: 9, character: 0 })).toBe(5);
  });
});
