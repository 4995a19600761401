import { describe, expect, it } from 'vitest';
import { formatDate, msFromOa, oaFromMs, parseDateText } from '../../../runtime/dates.js';
import { SnipDate, toText } from '../../../runtime/values.js';
import { DATE_CASES } from './cases/dates.js';
import { call, makeCtx, runCases } from './helpers.js';

describe('date built-ins', () => {
  runCases(DATE_CASES);

  it('CE-67: 6:00 AM on 31 Dec 1899 is the OLE Automation date 1.25', () => {
    const d = parseDateText('12/31/1899 06:00')!;
    expect(d.oa).toBe(1.25);
    expect(toText(new SnipDate(1.25))).toBe('12/31/1899 06:00:00');
  });

  it('CE-68: #"01/05/2025".asdatedow() is 0 (Sunday)', () => {
    expect(call('asdatedow', [parseDateText('01/05/2025')!])).toBe(0);
  });

  it('now() is the run clock', () => {
    const ctx = makeCtx({ now: () => new SnipDate(45662.5) });
    expect(toText(call('now', [], ctx) as SnipDate)).toBe('01/05/2025 12:00:00');
  });

  it('OLE dates and milliseconds round-trip, negatives keep the time positive', () => {
    // -0.5 and 0.5 are the same moment in .NET, so only values below -1 are checked for negatives.
    for (const oa of [0, 1.25, -1.25, -2.75, 45662.604166666664]) expect(oaFromMs(msFromOa(oa))).toBeCloseTo(oa, 9);
    expect(new Date(msFromOa(-1.25)).toISOString()).toBe('1899-12-29T06:00:00.000Z');
  });

  it('parses the accepted text formats and refuses others', () => {
    expect(parseDateText('2025-01-05')?.oa).toBe(45662);
    expect(parseDateText(' 1/5/2025 ')?.oa).toBe(45662);
    expect(parseDateText('2025/01/05 12:00')?.oa).toBe(45662.5);
    expect(parseDateText('18:00')?.oa).toBe(0.75);
    for (const bad of ['', '13/01/2025', '01/05/25', '2025-1-5', '24:00', '5 Jan 2025', '01/05/2025 8:00 XM']) {
      expect(parseDateText(bad)).toBeUndefined();
    }
  });

  it('formats literal text and 12-hour clocks', () => {
    const d = parseDateText('01/05/2025 00:07:09.5')!;
    expect(formatDate(d, "h:mm:ss.ff tt 'on' ddd")).toBe('12:07:09.50 AM on Sun');
    expect(formatDate(d, 'yy\\y')).toBe('25y');
  });
});
