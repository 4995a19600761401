// .NET-style number formatting for `format()` and `ascurrency()`: standard formats (N2, F1, D5, C,
// P0, X, G) and custom patterns (`0.00`, `#,##0`, `0%`), invariant culture, halves away from zero.
import { formatNumber } from '../values.js';
import { invalid } from './args.js';

/** Rounds halves away from zero at `digits` decimals, on the 15-digit decimal form (2.345 -> 2.35). */
export function roundHalfAway(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const abs = Number(Math.abs(x).toPrecision(15));
  const r = Number(`${Math.round(Number(`${abs}e${digits}`))}e-${digits}`);
  return x < 0 ? -r : r;
}

function group(intDigits: string): string {
  return intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `abs` with `decimals` fixed decimals, optionally grouped. */
function fixed(abs: number, decimals: number, grouped: boolean): string {
  const s = roundHalfAway(abs, decimals).toFixed(decimals);
  if (!grouped) return s;
  const [i, f] = s.split('.');
  return f === undefined ? group(i!) : `${group(i!)}.${f}`;
}

function standard(n: number, letter: string, precision: number | undefined): string {
  const neg = n < 0 ? '-' : '';
  const abs = Math.abs(n);
  switch (letter.toUpperCase()) {
    case 'N':
      return neg + fixed(abs, precision ?? 2, true);
    case 'F':
      return neg + fixed(abs, precision ?? 2, false);
    case 'C':
      return `${neg}$${fixed(abs, precision ?? 2, true)}`;
    case 'P':
      return `${neg}${fixed(abs * 100, precision ?? 2, true)} %`;
    case 'D':
      if (!Number.isInteger(n)) invalid('format', `format D needs a whole number (got ${formatNumber(n)})`);
      return neg + String(abs).padStart(precision ?? 0, '0');
    case 'X': {
      if (!Number.isInteger(n) || n < 0) invalid('format', `format X needs a whole number of 0 or more (got ${formatNumber(n)})`);
      const h = n.toString(16).padStart(precision ?? 0, '0');
      return letter === 'X' ? h.toUpperCase() : h;
    }
    default:
      return formatNumber(n);
  }
}

/** Formats `n` with a .NET-style standard or custom numeric format; "" formats like `G`. */
export function formatNumberPattern(n: number, pattern: string): string {
  if (pattern === '') return formatNumber(n);
  const std = /^([NnFfCcPpDdXxGg])(\d{0,2})$/.exec(pattern);
  if (std) return standard(n, std[1]!, std[2] === '' ? undefined : Number(std[2]));
  const section = pattern.split(';');
  const pat = n < 0 && section[1] ? section[1] : n === 0 && section[2] ? section[2] : section[0]!;
  const explicitNegative = n < 0 && section[1] !== undefined && section[1] !== '';
  const m = /^([^0#]*?)([0#,]*(?:\.[0#]*)?)([^0#]*)$/.exec(pat);
  if (m === null || m[2] === '') invalid('format', `'${pattern}' is not a number format`);
  const [, prefix, body, suffix] = m;
  const percent = (prefix + suffix).includes('%');
  const value = Math.abs(percent ? n * 100 : n);
  const [intPat, fracPat = ''] = body!.split('.');
  const minInt = (intPat!.match(/0/g) ?? []).length;
  const minFrac = (fracPat.match(/0/g) ?? []).length;
  const maxFrac = fracPat.length;
  let [i, f = ''] = roundHalfAway(value, maxFrac).toFixed(maxFrac).split('.');
  while (f.length > minFrac && f.endsWith('0')) f = f.slice(0, -1);
  i = i!.replace(/^0+/, '').padStart(minInt, '0');
  if (intPat!.includes(',')) i = group(i);
  const digits = f === '' ? i : `${i}.${f}`;
  const isZero = Number(`${i || '0'}.${f || '0'}`) === 0;
  const sign = n < 0 && !explicitNegative && !isZero ? '-' : '';
  const unquote = (s: string): string => s.replace(/['"]/g, '');
  return `${sign}${unquote(prefix!)}${digits === '' ? '0' : digits}${unquote(suffix!)}`;
}
