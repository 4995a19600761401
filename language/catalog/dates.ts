// Catalog entries: dates and times. Every date argument accepts a date value, date text (the
// formats of `#"..."`) or an OLE Automation number; unreadable dates fail with SNIP3017.
import type { BuiltinEntry } from '../catalog-types.js';
import { opt, req } from './define.js';

const FM = ['function', 'method'] as const;
const UNITS = 'year (yyyy, yy), quarter (q), month (mm, m), week (wk, ww), day (dd, d), hour (hh), minute (mi, n), second (ss, s), millisecond (ms)';

export const DATE_BUILTINS: BuiltinEntry[] = [
  {
    name: 'now', category: 'date', forms: ['function'], returns: 'date', provenance: 'D', params: [],
    description: 'The current date and time of the business unit (Snipstudio: UTC, or the clock the host injects).',
    example: 'now()  // e.g. 01/05/2025 14:30:00',
  },
  {
    name: 'dateadd', category: 'date', forms: ['function'], returns: 'date', provenance: 'D',
    params: [req('unit', 'text', UNITS), req('date', 'date'), req('value', 'number', 'may be negative; whole units')],
    description: 'The date moved by `value` units; adding months keeps the day when it exists, else the month\'s last day.',
    example: 'dateadd("day", #"01/30/2025", 3)  // 02/02/2025 00:00:00',
  },
  {
    name: 'datediff', category: 'date', forms: ['function'], returns: 'number', provenance: 'D',
    params: [req('unit', 'text', UNITS), req('date1', 'date'), req('date2', 'date')],
    description: '`date2 - date1` in whole units, truncated toward zero (months and years count whole calendar months).',
    example: 'datediff("day", #"01/01/2025", #"01/31/2025")  // 30',
  },
  {
    name: 'datepart', category: 'date', forms: [...FM], returns: 'number', provenance: 'D',
    params: [req('date', 'date'), req('unit', 'text', `${UNITS}, dayofyear (dy, y), weekday (dw, dow: 0 = Sunday)`)],
    description: 'One part of the date as a number.',
    example: 'datepart(#"01/05/2025 08:30", "hour")  // 8',
  },
  {
    name: 'datebuild', category: 'date', forms: ['function'], returns: 'date', provenance: 'D',
    params: [req('year', 'number'), req('month', 'number', '1-12'), req('day', 'number')],
    description: 'The date at midnight; parts out of range (month 13, 31 Feb) fail with SNIP3017.',
    example: 'datebuild(2025, 1, 5)  // 01/05/2025 00:00:00',
  },
  {
    name: 'datetimebuild', category: 'date', forms: ['function'], returns: 'date', provenance: 'D',
    params: [req('year', 'number'), req('month', 'number'), req('day', 'number'), req('hour', 'number', '0-23'), req('minute', 'number'), req('second', 'number')],
    description: 'The date and time from its parts; parts out of range fail with SNIP3017.',
    example: 'datetimebuild(2025, 1, 5, 13, 4, 5)  // 01/05/2025 13:04:05',
  },
  {
    name: 'datefmt', category: 'date', forms: [...FM], returns: 'text', provenance: 'D',
    params: [req('date', 'date'), req('format', 'text', '.NET-style: yyyy MM dd HH mm ss fff tt MMMM dddd ...')],
    description: 'The date as text in a .NET-style custom format; quote literal text with \'...\'.',
    example: 'datefmt(#"01/05/2025 13:04", "yyyy-MM-dd HH:mm")  // "2025-01-05 13:04"',
  },
  {
    name: 'asdate', category: 'date', forms: [...FM], returns: 'date', provenance: 'D',
    params: [req('value', 'any')],
    description: 'The value as a date (time kept); its text is the default format `MM/dd/yyyy HH:mm:ss`.',
    example: 'asdate("2025-01-05")  // 01/05/2025 00:00:00',
  },
  {
    name: 'asdatetime', category: 'date', forms: [...FM], returns: 'text', provenance: 'D',
    params: [req('value', 'any'), opt('format', 'text', 'default MM/dd/yyyy HH:mm:ss')],
    description: 'The value as date/time text in `format` (default `MM/dd/yyyy HH:mm:ss`).',
    example: 'asdatetime("01/05/2025 8:05 PM")  // "01/05/2025 20:05:00"',
  },
  {
    name: 'astime', category: 'date', forms: [...FM], returns: 'text', provenance: 'D',
    params: [req('value', 'any')],
    description: 'The time of day of the value as `HH:mm:ss` (24-hour clock).',
    example: 'astime(#"01/05/2025 8:05 PM")  // "20:05:00"',
  },
  {
    name: 'asisodatetime', category: 'date', forms: [...FM], returns: 'text', provenance: 'D',
    params: [req('value', 'any')],
    description: 'The value as ISO 8601 text `yyyy-MM-ddTHH:mm:ss.SSSZ` (dates are UTC).',
    example: 'asisodatetime(#"01/05/2025 13:04")  // "2025-01-05T13:04:00.000Z"',
  },
  {
    name: 'asgmt', category: 'date', forms: [...FM], returns: 'text', provenance: 'D',
    params: [req('value', 'any')],
    description: 'The value converted to GMT as `MM/dd/yyyy HH:mm:ss`; the business unit is UTC in Snipstudio, so the time is unchanged.',
    example: 'asgmt(#"01/05/2025 13:04")  // "01/05/2025 13:04:00"',
  },
  {
    name: 'asutc', category: 'date', forms: [...FM], returns: 'text', provenance: 'D',
    params: [req('value', 'any')],
    description: 'The value converted to UTC as `MM/dd/yyyy HH:mm:ss` (same as asgmt).',
    example: 'asutc(#"01/05/2025 13:04")  // "01/05/2025 13:04:00"',
  },
  {
    name: 'asdatedow', category: 'date', forms: [...FM], returns: 'number', provenance: 'D',
    params: [req('value', 'any')],
    description: 'The day of week, 0 = Sunday to 6 = Saturday.',
    example: 'asdatedow(#"01/05/2025")  // 0',
  },
  {
    name: 'dow', category: 'date', forms: [...FM], returns: 'number', provenance: 'D',
    params: [req('date', 'date')],
    description: 'The day of week, 0 = Sunday to 6 = Saturday (same as asdatedow).',
    example: 'dow(#"01/06/2025")  // 1',
  },
  {
    name: 'asoadate', category: 'date', forms: [...FM], returns: 'number', provenance: 'I',
    params: [req('value', 'any')],
    description: 'The OLE Automation number of a date: days since midnight 30 Dec 1899 plus the time of day / 24.',
    example: 'asoadate(#"12/31/1899 06:00")  // 1.25',
  },
];
