import { describe, expect, it } from 'vitest';
import { BUILTINS, findBuiltin } from '../../../language/catalog.js';
import { BUILTIN_IMPLS } from '../../../runtime/builtins/index.js';
import { DATA_CASES } from './cases/data.js';
import { DATE_CASES } from './cases/dates.js';
import { NUMBER_CASES } from './cases/numbers.js';
import { STRING_CASES } from './cases/strings.js';

/** Built-ins whose results are not fixed values; their own tests cover them (numbers, dates, data, rest-proxy). */
const TESTED_SEPARATELY = new Set(['random', 'now', 'guid', 'getrestproxy']);

describe('catalog and implementations stay in step', () => {
  it('every catalog entry has an implementation under its lower-case canonical name', () => {
    for (const b of BUILTINS) expect(BUILTIN_IMPLS.has(b.name.toLowerCase()), b.name).toBe(true);
  });

  it('every implementation has a catalog entry whose canonical name is the key (no alias duplicates)', () => {
    for (const key of BUILTIN_IMPLS.keys()) {
      expect(key, key).toBe(key.toLowerCase());
      expect(findBuiltin(key)?.name.toLowerCase(), key).toBe(key);
    }
    expect(BUILTIN_IMPLS.size).toBe(BUILTINS.length);
  });

  it('every built-in with fixed results has at least three cases, one of them an edge case', () => {
    const counts = new Map<string, number>();
    for (const [name] of [...STRING_CASES, ...NUMBER_CASES, ...DATE_CASES, ...DATA_CASES]) {
      const canonical = findBuiltin(name)!.name.toLowerCase();
      counts.set(canonical, (counts.get(canonical) ?? 0) + 1);
    }
    for (const b of BUILTINS) {
      const key = b.name.toLowerCase();
      if (TESTED_SEPARATELY.has(key)) continue;
      expect(counts.get(key) ?? 0, b.name).toBeGreaterThanOrEqual(3);
    }
  });
});
