// The samples are what people copy: they stay in the canonical format `snip fmt` produces.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDocument } from '../../language/formatter.js';

const dir = path.resolve(__dirname, '../../samples');
const files = readdirSync(dir).filter((f) => /\.(snip|studio)$/.test(f));

describe('samples are formatted', () => {
  it('has samples to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });
  it.each(files)('%s', (f) => {
    const source = readFileSync(path.join(dir, f), 'utf8');
    const r = formatDocument(f, source);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.text).toBe(source);
  });
});
