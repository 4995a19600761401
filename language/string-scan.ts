// Scanning of string literals, shared by the lexer (where does this string end?) and by the
// interpolation splitter (where are its `{...}` parts?). A string may hold `{expression}` parts that
// themselves contain strings of either quote (`"{s.replace('"','\"')}"`), so the scan tracks brace
// depth and nested literals. Strings do not span lines.

const DOUBLE = 34; // "
const SINGLE = 39; // '
const DOLLAR = 36; // $
const HASH = 35; // #
const BACKSLASH = 92;
const OPEN = 123; // {
const CLOSE = 125; // }
const LF = 10;
const CR = 13;

/** Where the quote is and whether escapes apply, or undefined when no string starts here. */
function openingAt(text: string, offset: number): { quotePos: number; escapes: boolean } | undefined {
  const c = text.charCodeAt(offset);
  if (c === DOUBLE || c === SINGLE) return { quotePos: offset, escapes: false };
  if (c === DOLLAR || c === HASH) {
    const q = text.charCodeAt(offset + 1);
    if (q === DOUBLE || q === SINGLE) return { quotePos: offset + 1, escapes: c === DOLLAR };
  }
  return undefined;
}

/**
 * The offset just past the string starting at `offset`, or -1 when no string starts there.
 * An unterminated string ends at the end of its line (the parser reports it).
 */
export function scanString(text: string, offset: number): number {
  const open = openingAt(text, offset);
  if (open === undefined) return -1;
  const end = scanBody(text, open.quotePos, open.escapes);
  if (end >= 0) return end;
  return lineEnd(text, offset);
}

/** Whether the string image (as matched by scanString) is properly closed. */
export function isTerminated(image: string): boolean {
  const open = openingAt(image, 0);
  if (open === undefined) return false;
  return scanBody(image, open.quotePos, open.escapes) === image.length;
}

function lineEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) break;
    i++;
  }
  return i;
}

/**
 * Scans from the opening quote; returns the offset past the closing quote or -1 (the line or the
 * input ended first). A `{` without its `}` is plain text, exactly as the interpolation splitter
 * reads it, so one stray brace does not change where the string ends.
 */
function scanBody(text: string, quotePos: number, escapes: boolean): number {
  const quote = text.charCodeAt(quotePos);
  let i = quotePos + 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return -1;
    if (escapes && c === BACKSLASH) {
      i += 2;
      continue;
    }
    if (c === quote) return i + 1;
    if (c === OPEN) {
      const close = scanInterpolation(text, i + 1);
      if (close >= 0) {
        i = close + 1;
        continue;
      }
    }
    i++;
  }
  return -1;
}

/**
 * Scans an interpolation body starting just after `{`; returns the offset of its closing `}`
 * or -1. Nested strings are skipped whole, so their quotes and braces do not count.
 */
export function scanInterpolation(text: string, from: number): number {
  let depth = 1;
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return -1;
    if (c === DOUBLE || c === SINGLE || ((c === DOLLAR || c === HASH) && isQuote(text.charCodeAt(i + 1)))) {
      const open = openingAt(text, i);
      if (open === undefined) return -1;
      const end = scanBody(text, open.quotePos, open.escapes);
      if (end < 0) return -1;
      i = end;
      continue;
    }
    if (c === OPEN) depth++;
    else if (c === CLOSE) {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  return -1;
}

function isQuote(c: number): boolean {
  return c === DOUBLE || c === SINGLE;
}
