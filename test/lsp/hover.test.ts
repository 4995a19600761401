import { describe, expect, test } from 'vitest';
import { hover } from '../../lsp/hover.js';
import { at, HUB } from './cursor.js';

const text = (marked: string, fileName?: string, extra?: Parameters<typeof at>[2]) => {
  const c = at(marked, fileName, extra);
  const h = hover(c.doc, c.position, c.workspace);
  return h && typeof h.contents === 'object' && 'value' in h.contents ? { value: h.contents.value, range: h.range } : null;
};

describe('hover', () => {
  test('a variable: its kind and where it is assigned', () => {
    const h = text('ASSIGN count = 1\nASSIGN count = 2\nTRACE co<|>unt');
    expect(h).toEqual({
      value: '```snip\ncount: number\n```\n\nAssigned at:\n- line 1 (ASSIGN)\n- line 2 (ASSIGN)',
      range: { start: { line: 2, character: 6 }, end: { line: 2, character: 11 } },
    });
  });

  test('a built-in in function and method form: the catalog entry', () => {
    expect(text('ASSIGN a = le<|>ft("abc", 2)')!.value).toMatch(/^```snip\nleft\(text: text, count: number\): text\n```\nThe first `count` characters/);
    expect(text('ASSIGN s = "a"\nASSIGN b = s.rep<|>lace("a", "b")')!.value).toContain('`text.replace(find, with)`');
  });

  test('a user function from another file: its signature and doc comment', () => {
    const h = text('ASSIGN g = gre<|>et("x")', 'main.snip', {
      others: [{ fileName: 'lib.snip', text: 'FUNCTION greet(name) // Says hello.\n{\n  RETURN name\n}' }],
    });
    expect(h!.value).toBe('```snip\nFUNCTION greet(name)\n```\nSays hello.\n\nDeclared in lib.snip.');
  });

  test('an action type, a property, a branch and a label', () => {
    const src = 'BEGIN start -> c\nCONNECTAUTH c (connectName = "x")\n  OnTimeout -> done\nEND done';
    expect(text(src.replace('CONNECTAUTH', 'CONNECT<|>AUTH'), 'a.studio')!.value).toMatch(/^\*\*CONNECTAUTH\*\*: Authenticates/);
    expect(text(src.replace('connectName', 'connect<|>Name'), 'a.studio')!.value).toBe('**CONNECTAUTH.connectName**: The connection to authenticate.');
    expect(text(src.replace('OnTimeout', 'OnTime<|>out'), 'a.studio')!.value).toBe(
      '**OnTimeout** branch: taken when no answer came within the connection timeout; leads to `done`.',
    );
    expect(text(src.replace('-> done', '-> do<|>ne'), 'a.studio')!.value).toBe('```snip\nEND done\n```\n\nAction at line 4; 1 branch(es) lead here.\n\nEnds the script.');
  });

  test('a secret reference names its connection, never a value', () => {
    const h = text('ASSIGN u = "[[ INSTAN<|>CEURI ]]/x"', 'a.snip', { hub: HUB });
    expect(h!.value).toBe("**[[ INSTANCEURI ]]**: Secret of 'Agents API'. The hub replaces it at send time; its value is never shown.");
  });

  test('nothing on white space', () => {
    expect(text('ASSIGN a = 1\n<|>\n')).toBeNull();
  });
});
