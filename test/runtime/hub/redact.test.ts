// Redaction by value and `[[ name ]]` substitution.
import { describe, expect, it } from 'vitest';
import { Redactor, MASK, maskDeep } from '../../../runtime/hub/redact.js';
import { substituteSecrets, substituteRecord, secretReferences } from '../../../runtime/hub/substitute.js';
import { SnipError } from '../../../runtime/errors.js';

describe('Redactor', () => {
  it('masks raw, URL-encoded, form-encoded, JSON-escaped and base64 forms', () => {
    const secret = 'p@ss word/"x"+1';
    const r = new Redactor([secret]);
    const texts = [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ a: secret }).toString(),
      JSON.stringify({ a: secret }),
      Buffer.from(secret).toString('base64'),
    ];
    for (const t of texts) {
      const masked = r.mask(`before ${t} after`);
      expect(masked).toContain(MASK);
      expect(masked).not.toContain(secret);
      expect(masked).not.toContain(encodeURIComponent(secret));
    }
  });

  it('masks basic credentials as the Authorization header carries them', () => {
    const r = new Redactor();
    r.addBasic('agent.smith', 'demo-password');
    const header = `Basic ${Buffer.from('agent.smith:demo-password').toString('base64')}`;
    expect(r.mask(header)).toBe(`Basic ${MASK}`);
    expect(r.mask('user agent.smith:demo-password')).toBe(`user ${MASK}`);
  });

  it('masks a value that contains another whole, and learns values later', () => {
    const r = new Redactor(['abc']);
    r.add('abcdef');
    expect(r.mask('x abcdef y abc')).toBe(`x ${MASK} y ${MASK}`);
  });

  it('leaves very short values alone and masks deep structures', () => {
    const r = new Redactor(['ab', 'token-123']);
    expect(r.mask('ab cd')).toBe('ab cd');
    expect(maskDeep({ a: ['x token-123'], token_123: 1 }, r.mask)).toEqual({ a: [`x ${MASK}`], token_123: 1 });
  });
});

describe('substituteSecrets', () => {
  const secrets = new Map([['client id', 'cid'], ['INSTANCEURI', 'https://api.test'], ['odd ]name', 'v']]);
  const lookup = (n: string) => secrets.get(n);

  it('replaces references with any characters in the name and blanks around it', () => {
    expect(substituteSecrets('[[INSTANCEURI]]/agents?c=[[ client id ]]', lookup, 'C', 'URL')).toBe('https://api.test/agents?c=cid');
    expect(substituteSecrets('[[odd ]name]]', lookup, 'C', 'URL')).toBe('v');
    expect(secretReferences('[[a]] [[ b ]] [[a]]')).toEqual(['a', 'b']);
  });

  it('refuses an unknown secret with SNIP4008 naming the place, not any value', () => {
    try {
      substituteRecord({ Authorization: 'Bearer [[missing]]' }, lookup, 'Agents API', 'header');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(SnipError);
      expect((e as SnipError).code).toBe('SNIP4008');
      expect((e as SnipError).message).toContain("'missing'");
      expect((e as SnipError).message).toContain('header Authorization');
    }
  });
});
