import { describe, expect, test } from 'vitest';
import { inlayHints } from '../../lsp/inlay-hints.js';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from '../../lsp/semantic-tokens.js';
import { at } from './cursor.js';

/** Decodes token data into `line:char text type[+modifiers]` strings. */
function decode(text: string, data: number[]): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < data.length; i += 5) {
    const [dl, dc, len, type, mods] = data.slice(i, i + 5) as [number, number, number, number, number];
    line += dl;
    char = dl ? dc : char + dc;
    const m = SEMANTIC_TOKENS_LEGEND.tokenModifiers.filter((_, b) => mods & (1 << b));
    out.push(`${line}:${char} ${lines[line]!.slice(char, char + len)} ${SEMANTIC_TOKENS_LEGEND.tokenTypes[type]}${m.length ? '+' + m.join('+') : ''}`);
  }
  return out;
}

describe('semantic tokens', () => {
  test('keywords, variables, built-ins, strings with interpolated names, numbers, comments', () => {
    const src = 'ASSIGN name = left("abc", 2) // cut\nTRACE "hi {name}!"';
    const { doc } = at(src);
    expect(decode(src, semanticTokens(doc).data)).toEqual([
      '0:0 ASSIGN keyword',
      '0:7 name variable+declaration',
      '0:14 left function+defaultLibrary',
      '0:19 "abc" string',
      '0:26 2 number',
      '0:29 // cut comment',
      '1:0 TRACE keyword',
      '1:6 "hi { string',
      '1:11 name variable',
      '1:15 }!" string',
    ]);
  });

  test('studio: action types, labels, properties, branches; range requests keep to their lines', () => {
    const src = 'BEGIN start -> c\nCONNECTAUTH c (connectName = "x")\n  OnError -> done\nEND done';
    const { doc } = at(src, 'a.studio');
    expect(decode(src, semanticTokens(doc).data)).toEqual([
      '0:0 BEGIN type',
      '0:6 start label+declaration',
      '0:15 c label',
      '1:0 CONNECTAUTH type',
      '1:12 c label+declaration',
      '1:15 connectName property',
      '1:29 "x" string',
      '2:2 OnError enumMember',
      '2:13 done label',
      '3:0 END type',
      '3:4 done label+declaration',
    ]);
    const range = semanticTokens(doc, { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } }).data;
    expect(decode(src, range)).toEqual(['2:2 OnError enumMember', '2:13 done label']);
  });
});

describe('inlay hints', () => {
  test('parameter names before arguments, not for same-named variables nor the receiver', () => {
    const c = at('ASSIGN text = "abc"\nASSIGN a = mid(text, 2, 1)\nASSIGN b = text.left(2)');
    const hints = inlayHints(c.doc, { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } }, c.workspace);
    expect(hints.map((h) => [h.position.line, h.position.character, h.label])).toEqual([
      [1, 21, 'start:'],
      [1, 24, 'length:'],
      [2, 21, 'count:'],
    ]);
  });

  test('user functions, only within the requested range', () => {
    const c = at('FUNCTION add(a, b)\n{\n  RETURN a + b\n}\nASSIGN x = add(1, 2)\nASSIGN y = add(3, 4)');
    const hints = inlayHints(c.doc, { start: { line: 5, character: 0 }, end: { line: 5, character: 30 } }, c.workspace);
    expect(hints.map((h) => [h.position.line, h.position.character, h.label])).toEqual([
      [5, 15, 'a:'],
      [5, 18, 'b:'],
    ]);
  });
});
