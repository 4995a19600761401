import { describe, expect, test } from 'vitest';
import { openCall, signatureHelp } from '../../lsp/signature-help.js';
import { at } from './cursor.js';

describe('signature help', () => {
  test('finds the innermost open call, its form and argument', () => {
    expect(openCall('ASSIGN x = left(mid(a, 1), ')).toEqual({ name: 'left', method: false, argument: 1 });
    expect(openCall('ASSIGN x = s.replace("a,b", ')).toEqual({ name: 'replace', method: true, argument: 1 });
    expect(openCall('ASSIGN x = "{left(a, ')).toEqual({ name: 'left', method: false, argument: 1 });
    expect(openCall('ASSIGN x = left(a, 1)')).toBeUndefined();
  });

  test('a built-in in function form', () => {
    const c = at('ASSIGN x = mid("abc", <|>');
    const h = signatureHelp(c.doc, c.position, c.workspace)!;
    expect(h.signatures[0]!.label).toBe('mid(text: text, start: number, length?: number)');
    expect(h.activeParameter).toBe(1);
  });

  test('method form leaves the receiver out', () => {
    const c = at('ASSIGN s = "a"\nASSIGN x = s.replace("a", <|>');
    const h = signatureHelp(c.doc, c.position, c.workspace)!;
    expect(h.signatures[0]!.label).toBe('.replace(find: text, with: text)');
    expect(h.activeParameter).toBe(1);
  });

  test('a user function with its doc comment', () => {
    const c = at('FUNCTION add(a, b) // Adds.\n{\n  RETURN a + b\n}\nASSIGN x = add(1, <|>');
    expect(signatureHelp(c.doc, c.position, c.workspace)).toEqual({
      signatures: [{ label: 'add(a, b)', parameters: [{ label: 'a' }, { label: 'b' }], documentation: 'Adds.', activeParameter: 1 }],
      activeSignature: 0,
      activeParameter: 1,
    });
  });

  test('none outside a call', () => {
    const c = at('ASSIGN x = <|>');
    expect(signatureHelp(c.doc, c.position, c.workspace)).toBeNull();
  });
});
