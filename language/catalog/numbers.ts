// Catalog entries: numbers and math. Null and "" count as 0; other text that is not a number is an
// invalid argument (SNIP3012).
import type { BuiltinEntry } from '../catalog-types.js';
import { opt, req, rest } from './define.js';

const FM = ['function', 'method'] as const;

export const NUMBER_BUILTINS: BuiltinEntry[] = [
  {
    name: 'abs', category: 'math', forms: [...FM], returns: 'number', provenance: 'D',
    params: [req('value', 'number')],
    description: 'The absolute value.',
    example: 'abs(-42)  // 42',
  },
  {
    name: 'round', category: 'math', forms: [...FM], returns: 'number', provenance: 'I',
    params: [req('value', 'number'), opt('digits', 'number', 'decimal places, 0 when left out (0 to 15)')],
    description: 'Rounds to `digits` decimal places, halves away from zero (2.5 -> 3, -2.5 -> -3).',
    example: 'round(2.345, 2)  // 2.35',
  },
  {
    name: 'floor', category: 'math', forms: [...FM], returns: 'number', provenance: 'I',
    params: [req('value', 'number')],
    description: 'The largest whole number not above the value.',
    example: 'floor(-2.5)  // -3',
  },
  {
    name: 'ceiling', category: 'math', forms: [...FM], returns: 'number', provenance: 'D', aliases: ['ceil'],
    params: [req('value', 'number')],
    description: 'The smallest whole number not below the value.',
    example: 'ceiling(2.1)  // 3',
  },
  {
    name: 'min', category: 'math', forms: [...FM], returns: 'number', provenance: 'I',
    params: [req('value', 'number'), rest('more', 'number')],
    description: 'The smallest of the arguments; one argument may be a pipe or dynamic array of numbers.',
    example: 'min(3, 1, 2)  // 1',
  },
  {
    name: 'max', category: 'math', forms: [...FM], returns: 'number', provenance: 'I',
    params: [req('value', 'number'), rest('more', 'number')],
    description: 'The largest of the arguments; one argument may be a pipe or dynamic array of numbers.',
    example: 'max(3, 1, 2)  // 3',
  },
  {
    name: 'pow', category: 'math', forms: [...FM], returns: 'number', provenance: 'I', aliases: ['power'],
    params: [req('base', 'number'), req('exponent', 'number')],
    description: '`base` raised to `exponent` (like the `^` operator); a result that is not a finite number is an invalid argument.',
    example: 'pow(2, 10)  // 1024',
  },
  {
    name: 'sqrt', category: 'math', forms: [...FM], returns: 'number', provenance: 'I',
    params: [req('value', 'number', '0 or more')],
    description: 'The square root; a negative value is an invalid argument (SNIP3012).',
    example: 'sqrt(16)  // 4',
  },
  {
    name: 'mod', category: 'math', forms: [...FM], returns: 'number', provenance: 'I',
    params: [req('value', 'number'), req('divisor', 'number', 'not 0')],
    description: 'The remainder of `value / divisor`, with the sign of `value` (like `%`); divisor 0 is an invalid argument.',
    example: 'mod(7, 3)  // 1',
  },
  {
    name: 'logn', category: 'math', forms: [...FM], returns: 'number', provenance: 'D',
    params: [req('value', 'number', 'more than 0'), req('base', 'number', 'more than 0, not 1')],
    description: 'The logarithm of `value` in `base`.',
    example: 'logn(8, 2)  // 3',
  },
  {
    name: 'random', category: 'math', forms: ['function'], returns: 'number', provenance: 'D',
    params: [opt('limit', 'number', 'a whole number of 1 or more')],
    description: 'A random whole number from 0 to `limit - 1` (`random(100)` gives 0..99); without `limit`, a fraction in [0, 1).',
    example: 'random(100)  // e.g. 58',
  },
  {
    name: 'isnumeric', category: 'number', forms: [...FM], returns: 'boolean', provenance: 'I',
    params: [req('value', 'any')],
    description: 'Whether the value is a number or text that is wholly a number (`" 12.5 "` yes, `"12a"` and "" no).',
    example: 'isnumeric("12.5")  // true',
  },
  {
    name: 'tonumber', category: 'conversion', forms: [...FM], returns: 'number', provenance: 'I', aliases: ['asnumber'],
    params: [req('value', 'any')],
    description: 'The number the value stands for; text that is not a number gives 0; a date gives its OLE Automation number.',
    example: 'tonumber("42.50")  // 42.5',
  },
  {
    name: 'ascurrency', category: 'number', forms: [...FM], returns: 'text', provenance: 'I',
    params: [req('value', 'number')],
    description: 'The number as US dollars with two decimals and thousands separators; negative as `-$1.50`.',
    example: 'ascurrency(1234.5)  // "$1,234.50"',
  },
];
