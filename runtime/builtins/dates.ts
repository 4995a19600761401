// Date and time built-ins over OLE Automation dates (runtime/dates.ts). Units follow SQL Server's
// DATEADD/DATEDIFF names; docs/builtins.md lists them.
import { SnipError } from '../errors.js';
import { buildDate, dateFromMs, dayOfWeek, daysInMonth, formatDate, formatIso, msFromOa, partsOf } from '../dates.js';
import { SnipDate } from '../values.js';
import { capText, date, int, num, str } from './args.js';
import type { BuiltinImpl } from './types.js';

type Unit = 'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond' | 'dayofyear' | 'weekday';

const UNIT_NAMES: Record<string, Unit> = {
  year: 'year', years: 'year', yyyy: 'year', yy: 'year',
  quarter: 'quarter', quarters: 'quarter', qq: 'quarter', q: 'quarter',
  month: 'month', months: 'month', mm: 'month', m: 'month',
  week: 'week', weeks: 'week', wk: 'week', ww: 'week',
  day: 'day', days: 'day', dd: 'day', d: 'day',
  hour: 'hour', hours: 'hour', hh: 'hour',
  minute: 'minute', minutes: 'minute', mi: 'minute', n: 'minute',
  second: 'second', seconds: 'second', ss: 'second', s: 'second',
  millisecond: 'millisecond', milliseconds: 'millisecond', ms: 'millisecond',
  dayofyear: 'dayofyear', dy: 'dayofyear', y: 'dayofyear',
  weekday: 'weekday', dw: 'weekday', dow: 'weekday',
};

const UNIT_MS: Partial<Record<Unit, number>> = {
  week: 7 * 86_400_000,
  day: 86_400_000,
  hour: 3_600_000,
  minute: 60_000,
  second: 1000,
  millisecond: 1,
};

function unit(fn: string, v: Parameters<typeof str>[0], allowParts = false): Unit {
  const u = UNIT_NAMES[str(v).trim().toLowerCase()];
  if (u === undefined || (!allowParts && (u === 'dayofyear' || u === 'weekday'))) {
    throw new SnipError('SNIP3012', `${fn}: '${str(v)}' is not a date unit (year, quarter, month, week, day, hour, minute, second, millisecond)`);
  }
  return u;
}

function checked(fn: string, d: SnipDate | undefined): SnipDate {
  if (d === undefined || !Number.isFinite(d.oa)) throw new SnipError('SNIP3017', `${fn}: the resulting date is out of range`);
  const y = partsOf(d).year;
  if (y < 1 || y > 9999) throw new SnipError('SNIP3017', `${fn}: the resulting date is out of range (year ${y})`);
  return d;
}

function addMonths(d: SnipDate, months: number): SnipDate | undefined {
  const p = partsOf(d);
  const total = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  if (year < 1 || year > 9999) return undefined;
  return buildDate({ ...p, year, month, day: Math.min(p.day, daysInMonth(year, month)) });
}

/** Whole calendar months from a to b, truncated toward zero. */
function monthsBetween(a: SnipDate, b: SnipDate): number {
  const p = partsOf(a);
  const q = partsOf(b);
  let months = (q.year - p.year) * 12 + (q.month - p.month);
  const restA = msFromOa(a.oa) - Date.UTC(p.year, p.month - 1, 1);
  const restB = msFromOa(b.oa) - Date.UTC(q.year, q.month - 1, 1);
  if (months > 0 && restB < restA) months--;
  if (months < 0 && restB > restA) months++;
  return months;
}

const DEFAULT_FORMAT = 'MM/dd/yyyy HH:mm:ss';

export const DATE_IMPLS: Record<string, BuiltinImpl> = {
  now: (_args, ctx) => ctx.now(),
  dateadd: ([u, d, v]) => {
    const which = unit('dateadd', u);
    const base = date('dateadd', d);
    const amount = num('dateadd', v);
    if (which === 'year' || which === 'quarter' || which === 'month') {
      const months = Math.trunc(amount) * (which === 'year' ? 12 : which === 'quarter' ? 3 : 1);
      return checked('dateadd', addMonths(base, months));
    }
    return checked('dateadd', dateFromMs(msFromOa(base.oa) + Math.round(amount * UNIT_MS[which]!)));
  },
  datediff: ([u, a, b]) => {
    const which = unit('datediff', u);
    const d1 = date('datediff', a);
    const d2 = date('datediff', b);
    if (which === 'year' || which === 'quarter' || which === 'month') {
      return Math.trunc(monthsBetween(d1, d2) / (which === 'year' ? 12 : which === 'quarter' ? 3 : 1));
    }
    return Math.trunc((msFromOa(d2.oa) - msFromOa(d1.oa)) / UNIT_MS[which]!) || 0;
  },
  datepart: ([d, u]) => {
    const x = date('datepart', d);
    const p = partsOf(x);
    const dayOfYear = Math.floor((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86_400_000) + 1;
    switch (unit('datepart', u, true)) {
      case 'year': return p.year;
      case 'quarter': return Math.ceil(p.month / 3);
      case 'month': return p.month;
      case 'week': return Math.floor((dayOfYear - 1 + new Date(Date.UTC(p.year, 0, 1)).getUTCDay()) / 7) + 1;
      case 'day': return p.day;
      case 'dayofyear': return dayOfYear;
      case 'weekday': return dayOfWeek(x);
      case 'hour': return p.hour;
      case 'minute': return p.minute;
      case 'second': return p.second;
      case 'millisecond': return p.millisecond;
    }
  },
  datebuild: ([y, m, d]) => {
    const parts = { year: int('datebuild', y, 'year'), month: int('datebuild', m, 'month'), day: int('datebuild', d, 'day'), hour: 0, minute: 0, second: 0, millisecond: 0 };
    const r = buildDate(parts);
    if (r === undefined) throw new SnipError('SNIP3017', `datebuild: ${parts.month}/${parts.day}/${parts.year} is not a valid date`);
    return r;
  },
  datetimebuild: ([y, mo, d, h, mi, s]) => {
    const f = 'datetimebuild';
    const parts = { year: int(f, y, 'year'), month: int(f, mo, 'month'), day: int(f, d, 'day'), hour: int(f, h, 'hour'), minute: int(f, mi, 'minute'), second: int(f, s, 'second'), millisecond: 0 };
    const r = buildDate(parts);
    if (r === undefined) {
      throw new SnipError('SNIP3017', `${f}: ${parts.month}/${parts.day}/${parts.year} ${parts.hour}:${parts.minute}:${parts.second} is not a valid date/time`);
    }
    return r;
  },
  datefmt: ([d, f], ctx) => capText('datefmt', formatDate(date('datefmt', d), str(f)), ctx),
  asdate: ([v]) => date('asdate', v),
  asdatetime: ([v, f], ctx) => capText('asdatetime', formatDate(date('asdatetime', v), f === undefined ? DEFAULT_FORMAT : str(f)), ctx),
  astime: ([v]) => formatDate(date('astime', v), 'HH:mm:ss'),
  asisodatetime: ([v]) => formatIso(date('asisodatetime', v)),
  asgmt: ([v]) => formatDate(date('asgmt', v), DEFAULT_FORMAT),
  asutc: ([v]) => formatDate(date('asutc', v), DEFAULT_FORMAT),
  asdatedow: ([v]) => dayOfWeek(date('asdatedow', v)),
  dow: ([v]) => dayOfWeek(date('dow', v)),
  asoadate: ([v]) => date('asoadate', v).oa,
};
