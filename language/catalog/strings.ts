// Catalog entries: text functions. Positions are 1-based; results longer than MaxStringSize fail.
import type { BuiltinEntry } from '../catalog-types.js';
import { opt, req } from './define.js';

const FM = ['function', 'method'] as const;

export const STRING_BUILTINS: BuiltinEntry[] = [
  {
    name: 'left', category: 'string', forms: [...FM], returns: 'text', provenance: 'R',
    params: [req('text', 'text'), req('count', 'number', 'characters to keep; 0 or less gives ""')],
    description: 'The first `count` characters of the text (the whole text when it is shorter).',
    example: 'left("abcdef", 3)  // "abc"',
  },
  {
    name: 'right', category: 'string', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('text', 'text'), req('count', 'number')],
    description: 'The last `count` characters of the text (the whole text when it is shorter).',
    example: 'right("abcdef", 2)  // "ef"',
  },
  {
    name: 'mid', category: 'string', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('text', 'text'), req('start', 'number', '1-based'), opt('length', 'number', 'to the end when left out')],
    description: 'The characters from 1-based position `start`, `length` of them or to the end; "" past the end.',
    example: 'mid("abcdef", 2, 3)  // "bcd"',
  },
  {
    name: 'length', category: 'string', forms: ['function', 'method', 'property'], returns: 'number', provenance: 'R',
    aliases: ['len'],
    params: [req('text', 'text')],
    description: 'The number of characters of the text (null counts as "", so 0).',
    example: 'length("hello")  // 5',
  },
  {
    name: 'replace', category: 'string', forms: [...FM], returns: 'text', provenance: 'R',
    params: [req('text', 'text'), req('find', 'text'), req('with', 'text')],
    description: 'Replaces every occurrence of `find` (case-sensitive); an empty `find` leaves the text unchanged.',
    example: 'replace("a-b-c", "-", "+")  // "a+b+c"',
  },
  {
    name: 'upper', category: 'string', forms: [...FM], returns: 'text', provenance: 'I', aliases: ['toupper'],
    params: [req('text', 'text')],
    description: 'The text in upper case.',
    example: 'upper("abc")  // "ABC"',
  },
  {
    name: 'lower', category: 'string', forms: [...FM], returns: 'text', provenance: 'I', aliases: ['tolower'],
    params: [req('text', 'text')],
    description: 'The text in lower case.',
    example: 'lower("ABC")  // "abc"',
  },
  {
    name: 'trim', category: 'string', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('text', 'text')],
    description: 'The text without leading and trailing white space.',
    example: 'trim("  a b  ")  // "a b"',
  },
  {
    name: 'ltrim', category: 'string', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('text', 'text')],
    description: 'The text without leading white space.',
    example: 'ltrim("  ab ")  // "ab "',
  },
  {
    name: 'rtrim', category: 'string', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('text', 'text')],
    description: 'The text without trailing white space.',
    example: 'rtrim(" ab  ")  // " ab"',
  },
  {
    name: 'contains', category: 'string', forms: [...FM], returns: 'boolean', provenance: 'R',
    params: [req('value', 'any', 'text, dynamic array or dynamic object'), req('find', 'any')],
    description: 'Text: whether `find` occurs in it (case-sensitive). Dynamic array: whether an element equals `find`. Dynamic object: whether it has the member `find`.',
    example: 'contains("Auto Reply: x", "Auto Reply")  // true',
  },
  {
    // Real scripts call `mailsubject.beginswith("EditWO")` beside contains/left/char/replace.
    name: 'beginswith', category: 'string', forms: [...FM], returns: 'boolean', provenance: 'R', aliases: ['startswith'],
    params: [req('text', 'text'), req('prefix', 'text')],
    description: 'Whether the text begins with `prefix` (case-sensitive); an empty `prefix` is always true. The pair of `endswith`.',
    example: 'beginswith("EditWO 42", "EditWO")  // true',
  },
  {
    name: 'endswith', category: 'string', forms: [...FM], returns: 'boolean', provenance: 'I',
    params: [req('text', 'text'), req('suffix', 'text')],
    description: 'Whether the text ends with `suffix` (case-sensitive); an empty `suffix` is always true. The pair of `beginswith`.',
    example: 'endswith("hello", "lo")  // true',
  },
  {
    name: 'format', category: 'string', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('value', 'any'), req('format', 'text', '.NET-style number format (0 # , . % N2 F2 D4 C P) or, for a date, a date format')],
    description: 'Formats a number with a .NET-style format (`0.00`, `#,##0`, `N2`, `F1`, `D5`, `C`, `P0`), or a date as datefmt does; text that is not a number is returned unchanged.',
    example: 'format(1234.5, "#,##0.00")  // "1,234.50"',
  },
  {
    name: 'char', category: 'string', forms: [...FM], returns: 'text', provenance: 'R', aliases: ['chr'],
    params: [req('code', 'number', 'a Unicode code point, 0 to 1114111')],
    description: 'The character with the given Unicode code point (`char(13)` is a carriage return).',
    example: 'char(65)  // "A"',
  },
  {
    name: 'asc', category: 'string', forms: [...FM], returns: 'number', provenance: 'I',
    params: [req('text', 'text')],
    description: 'The Unicode code point of the first character; an empty text is an invalid argument (SNIP3012).',
    example: 'asc("A")  // 65',
  },
  {
    name: 'append', category: 'string', forms: [...FM], returns: 'any', provenance: 'R', assignsReceiver: true,
    params: [req('value', 'any'), req('more', 'any')],
    description: 'Text: the text with `more` added at the end; as a statement `x.append(s)` stores the result back in `x`. Dynamic object or array: adds `more` as a new element (in place) and returns it.',
    example: 'append("ab", "cd")  // "abcd"',
  },
  {
    name: 'throw', category: 'misc', forms: [...FM], returns: 'none', provenance: 'R',
    params: [req('message', 'text')],
    description: 'Raises a runtime error (SNIP3013) with the text as its message: the SNIPPET action takes its Error branch and `_ERR` holds the text.',
    example: 'ERROR_MESSAGE.throw()  // error SNIP3013: <the text>',
  },
];
