import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTINS, HOST_TYPES, findBuiltin, findHostMember } from '../../language/catalog.js';
import { arity } from '../../language/catalog-types.js';
import { renderBuiltinsDoc } from '../../language/catalog/docs.js';

describe('built-in catalog', () => {
  it('finds built-ins in any case and through aliases', () => {
    expect(findBuiltin('GetRestProxy')?.name).toBe('GetRESTProxy');
    expect(findBuiltin('getrestproxy')?.name).toBe('GetRESTProxy');
    expect(findBuiltin('LEN')?.name).toBe('length');
    expect(findBuiltin('newguid')?.name).toBe('guid');
    expect(findBuiltin('nosuchthing')).toBeUndefined();
  });

  it('finds host members in any case', () => {
    expect(findHostMember('restproxy', 'makerestrequest')?.async).toBe(true);
    expect(findHostMember('RestProxy', 'StatusCode')?.readOnly).toBe(true);
    expect(findHostMember('RestProxy', 'ContentType')?.default).toBe('application/x-www-form-urlencoded');
    expect(findHostMember('RestProxy', 'ProxyTimeoutSeconds')?.default).toBe('10');
    expect(findHostMember('RestProxy', 'Nope')).toBeUndefined();
    expect(findHostMember('Other', 'StatusCode')).toBeUndefined();
  });

  it('has unique names and aliases', () => {
    const names = BUILTINS.flatMap((b) => [b.name, ...(b.aliases ?? [])].map((n) => n.toLowerCase()));
    expect(new Set(names).size).toBe(names.length);
  });

  it('never gives a built-in the name of a host method (the analysis checks built-ins first)', () => {
    const methods = HOST_TYPES.flatMap((t) => t.members.map((m) => m.name.toLowerCase()));
    for (const m of methods) expect(findBuiltin(m), m).toBeUndefined();
  });

  it('keeps every entry well formed', () => {
    for (const b of BUILTINS) {
      expect(b.description.length, b.name).toBeGreaterThan(10);
      expect(b.example, b.name).toMatch(/\S/);
      expect(b.forms.length, b.name).toBeGreaterThan(0);
      if (b.forms.includes('method') || b.forms.includes('property')) expect(arity(b).max, b.name).toBeGreaterThan(0);
      if (b.forms.includes('property')) expect(arity(b).min, `${b.name} as a property takes only the receiver`).toBeLessThanOrEqual(1);
      const firstOptional = b.params.findIndex((p) => p.optional || p.rest);
      if (firstOptional >= 0) for (const p of b.params.slice(firstOptional)) expect(p.optional || p.rest, b.name).toBe(true);
      expect(b.params.slice(0, -1).some((p) => p.rest), b.name).toBe(false);
    }
  });

  it('marks only the I/O members async and append as storing back', () => {
    expect(BUILTINS.filter((b) => b.async)).toEqual([]);
    expect(BUILTINS.filter((b) => b.assignsReceiver).map((b) => b.name)).toEqual(['append']);
  });

  it('lists every built-in of the language reference', () => {
    const documented = [
      'asdate', 'asdatedow', 'asdatetime', 'asgmt', 'asutc', 'asisodatetime', 'astime', 'dateadd', 'datebuild', 'datediff',
      'datefmt', 'datepart', 'datetimebuild', 'dow', 'now', 'ceiling', 'abs', 'logn', 'random', 'index', 'indexof', 'size',
      'asjson', 'asxml', 'savetodb', 'GetRESTProxy', 'replace', 'char', 'left', 'contains', 'length', 'append', 'throw',
      'right', 'mid', 'upper', 'lower', 'trim', 'ltrim', 'rtrim', 'format', 'floor', 'round', 'isnumeric', 'urlencode',
      'urldecode', 'count', 'ascurrency',
    ];
    for (const n of documented) expect(findBuiltin(n), n).toBeDefined();
  });

  it('docs/builtins.md is up to date (run `npm run gen:docs`)', () => {
    const committed = readFileSync(new URL('../../docs/builtins.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderBuiltinsDoc(BUILTINS, HOST_TYPES));
  });
});
