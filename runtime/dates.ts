// Date/time text: parsing the formats Snippet accepts (for `#"..."` literals and the date built-ins),
// .NET-style custom formatting, and the OLE Automation date arithmetic (docs/builtins.md, "Dates").
// Dates carry no zone: they are business-unit time, which Snipstudio takes to be UTC.
import { SnipDate, msFromOa, oaToParts, type DateParts } from './values.js';

export { msFromOa, type DateParts };

const MS_PER_DAY = 86_400_000;
const OA_EPOCH_MS = Date.UTC(1899, 11, 30);

/**
 * The OLE Automation date of a UTC millisecond time. Before 30 Dec 1899 .NET keeps the fraction
 * positive on a negative day count (-1.25 is 29 Dec 1899 06:00), so negative values are mirrored.
 */
export function oaFromMs(ms: number): number {
  const t = (ms - OA_EPOCH_MS) / MS_PER_DAY;
  if (t >= 0) return t;
  const day = Math.floor(t);
  const frac = t - day;
  return frac === 0 ? day : day - frac;
}

export function dateFromMs(ms: number): SnipDate {
  return new SnipDate(oaFromMs(ms));
}

/** Calendar parts of a date. */
export function partsOf(d: SnipDate): DateParts {
  return oaToParts(d.oa);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A date from parts, or undefined when a part is out of range (13th month, 31 Feb, 24:00). */
export function buildDate(p: DateParts): SnipDate | undefined {
  const ok =
    Number.isInteger(p.year) && p.year >= 1 && p.year <= 9999 &&
    Number.isInteger(p.month) && p.month >= 1 && p.month <= 12 &&
    Number.isInteger(p.day) && p.day >= 1 && p.day <= daysInMonth(p.year, p.month) &&
    Number.isInteger(p.hour) && p.hour >= 0 && p.hour <= 23 &&
    Number.isInteger(p.minute) && p.minute >= 0 && p.minute <= 59 &&
    p.second >= 0 && p.second < 60 && p.millisecond >= 0 && p.millisecond < 1000;
  if (!ok) return undefined;
  const when = new Date(0);
  when.setUTCFullYear(p.year, p.month - 1, p.day);
  when.setUTCHours(p.hour, p.minute, Math.floor(p.second), p.millisecond);
  return dateFromMs(when.getTime());
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*([AaPp][Mm])?`;
const US = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T]+${TIME})?$`);
const YMD = new RegExp(String.raw`^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T]+${TIME})?$`);
const ISO = new RegExp(
  String.raw`^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$`,
  'i',
);
const TIME_ONLY = new RegExp(`^${TIME}$`);

/** Hour, minute, second, millisecond from a TIME match starting at `i`, or undefined. */
function timeParts(m: RegExpMatchArray, i: number): [number, number, number, number] | undefined {
  if (m[i] === undefined) return [0, 0, 0, 0];
  let hour = Number(m[i]);
  const minute = Number(m[i + 1]);
  const second = m[i + 2] === undefined ? 0 : Number(m[i + 2]);
  const ms = m[i + 3] === undefined ? 0 : Math.floor(Number(`0.${m[i + 3]}`) * 1000);
  const ampm = m[i + 4]?.toUpperCase();
  if (ampm !== undefined) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (ampm === 'PM' ? 12 : 0);
  }
  return [hour, minute, second, ms];
}

function fromMatch(year: string, month: string, day: string, m: RegExpMatchArray, ti: number): SnipDate | undefined {
  const t = timeParts(m, ti);
  if (t === undefined) return undefined;
  return buildDate({ year: Number(year), month: Number(month), day: Number(day), hour: t[0], minute: t[1], second: t[2], millisecond: t[3] });
}

/**
 * The date a text stands for, or undefined. Accepted: `MM/dd/yyyy`, `yyyy/MM/dd` and ISO 8601
 * `yyyy-MM-dd`, each optionally followed by a time `HH:mm[:ss[.fff]]` or `h:mm[:ss] AM/PM`; ISO
 * times may end in `Z` or an offset (converted to UTC). A time alone is a time on 30 Dec 1899
 * (OLE date 0), so it is pure time of day.
 */
export function parseDateText(text: string): SnipDate | undefined {
  const s = text.trim();
  let m = US.exec(s);
  if (m) return fromMatch(m[3]!, m[1]!, m[2]!, m, 4);
  m = YMD.exec(s);
  if (m) return fromMatch(m[1]!, m[2]!, m[3]!, m, 4);
  m = ISO.exec(s);
  if (m) {
    const d = buildDate({
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: m[4] === undefined ? 0 : Number(m[4]),
      minute: m[5] === undefined ? 0 : Number(m[5]),
      second: m[6] === undefined ? 0 : Number(m[6]),
      millisecond: m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000),
    });
    if (d === undefined || m[8] === undefined || m[8].toUpperCase() === 'Z') return d;
    const off = m[8].replace(':', '');
    const minutes = (Number(off.slice(1, 3)) * 60 + Number(off.slice(3, 5))) * (off[0] === '-' ? -1 : 1);
    return dateFromMs(msFromOa(d.oa) - minutes * 60_000);
  }
  m = TIME_ONLY.exec(s);
  if (m) return fromMatch('1899', '12', '30', m, 1);
  return undefined;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** Day of week, 0 = Sunday (documented). */
export function dayOfWeek(d: SnipDate): number {
  return new Date(msFromOa(d.oa)).getUTCDay();
}

/** Standard one-letter formats, as .NET names them (invariant culture, 24-hour clock). */
const STANDARD: Record<string, string> = {
  d: 'MM/dd/yyyy',
  D: 'dddd, dd MMMM yyyy',
  t: 'HH:mm',
  T: 'HH:mm:ss',
  g: 'MM/dd/yyyy HH:mm',
  G: 'MM/dd/yyyy HH:mm:ss',
  s: "yyyy-MM-dd'T'HH:mm:ss",
  o: "yyyy-MM-dd'T'HH:mm:ss.fffK",
  u: "yyyy-MM-dd HH:mm:ss'Z'",
};

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/**
 * Formats a date with .NET-style custom tokens: yyyy yy MMMM MMM MM M dddd ddd dd d HH H hh h mm m
 * ss s fff ff f tt K; text in single or double quotes and `\x` is literal. A one-letter format is a
 * standard format (d D t T g G s o u).
 */
export function formatDate(d: SnipDate, format: string): string {
  const fmt = format.length === 1 && STANDARD[format] !== undefined ? STANDARD[format]! : format;
  const p = partsOf(d);
  const dow = dayOfWeek(d);
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i]!;
    if (c === "'" || c === '"') {
      const end = fmt.indexOf(c, i + 1);
      out += end < 0 ? fmt.slice(i + 1) : fmt.slice(i + 1, end);
      i = end < 0 ? fmt.length : end + 1;
      continue;
    }
    if (c === '\\') {
      out += fmt[i + 1] ?? '';
      i += 2;
      continue;
    }
    let n = 1;
    while (fmt[i + n] === c) n++;
    out += token(c, n, p, dow);
    i += n;
  }
  return out;
}

function token(c: string, n: number, p: DateParts, dow: number): string {
  switch (c) {
    case 'y':
      return n <= 2 ? pad(p.year % 100, n) : pad(p.year, n);
    case 'M':
      return n >= 4 ? MONTHS[p.month - 1]! : n === 3 ? MONTHS[p.month - 1]!.slice(0, 3) : pad(p.month, n);
    case 'd':
      return n >= 4 ? DAYS[dow]! : n === 3 ? DAYS[dow]!.slice(0, 3) : pad(p.day, n);
    case 'H':
      return pad(p.hour, Math.min(n, 2));
    case 'h':
      return pad(p.hour % 12 === 0 ? 12 : p.hour % 12, Math.min(n, 2));
    case 'm':
      return pad(p.minute, Math.min(n, 2));
    case 's':
      return pad(p.second, Math.min(n, 2));
    case 'f':
    case 'F':
      return pad(p.millisecond, 3).slice(0, Math.min(n, 3)).padEnd(n, '0');
    case 't':
      return (p.hour < 12 ? 'AM' : 'PM').slice(0, n >= 2 ? 2 : 1);
    case 'K':
    case 'z':
      return c === 'K' ? 'Z' : '+00:00';
    default:
      return c.repeat(n);
  }
}

/** ISO 8601 with milliseconds and zone, `yyyy-MM-ddTHH:mm:ss.SSSZ` (dates are UTC). */
export function formatIso(d: SnipDate): string {
  return formatDate(d, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'");
}
