// Splits the text of a string literal into literal text and `{expression}` parts, processing the
// escapes of `$"..."` strings. Positions are offsets into the literal's own text; the parser turns
// them into file positions and parses each expression.
import { scanInterpolation } from './string-scan.js';

export type Segment =
  | { kind: 'text'; start: number; end: number; value: string }
  | { kind: 'interpolation'; start: number; end: number };

export interface SplitProblem {
  code: 'SNIP1012' | 'SNIP1014';
  message: string;
  start: number;
  end: number;
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  "'": "'",
  '{': '{',
  '}': '}',
  '\\': '\\',
  t: '\t',
  r: '\r',
  n: '\n',
  b: '\b',
  '0': '\0',
};

/**
 * Splits `image[contentStart, contentEnd)`. `{}` and braces holding only spaces stay literal text;
 * a `{` that is never closed stays literal text with a warning.
 */
export function splitString(
  image: string,
  contentStart: number,
  contentEnd: number,
  escapes: boolean,
): { segments: Segment[]; problems: SplitProblem[] } {
  const segments: Segment[] = [];
  const problems: SplitProblem[] = [];
  let textStart = contentStart;
  let buf = '';
  let i = contentStart;
  const flush = (end: number): void => {
    if (end > textStart) segments.push({ kind: 'text', start: textStart, end, value: buf });
    buf = '';
  };
  while (i < contentEnd) {
    const c = image[i] as string;
    if (escapes && c === '\\' && i + 1 < contentEnd) {
      const e = image[i + 1] as string;
      const mapped = ESCAPES[e];
      if (mapped === undefined) {
        problems.push({
          code: 'SNIP1014',
          message: `unknown escape '\\${e}': known escapes are \\" \\' \\{ \\} \\\\ \\t \\r \\n \\b \\0`,
          start: i,
          end: i + 2,
        });
        buf += c + e;
      } else buf += mapped;
      i += 2;
      continue;
    }
    if (c === '{') {
      const close = scanInterpolation(image, i + 1);
      if (close < 0 || close >= contentEnd) {
        problems.push({
          code: 'SNIP1012',
          message: "'{' starts an interpolation that is never closed: it is kept as text (write $\"\\{\" for a literal brace)",
          start: i,
          end: i + 1,
        });
        buf += c;
        i++;
        continue;
      }
      if (image.slice(i + 1, close).trim() === '') {
        buf += image.slice(i, close + 1);
        i = close + 1;
        continue;
      }
      flush(i);
      segments.push({ kind: 'interpolation', start: i, end: close + 1 });
      i = close + 1;
      textStart = i;
      continue;
    }
    buf += c;
    i++;
  }
  flush(contentEnd);
  return { segments, problems };
}
