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

describe('Redactor: every form URL handling and servers produce (issue 9, item 2)', () => {
  const secret = 'ab/c+d"e f&g<h>é😀Xyz';
  const r = new Redactor([secret]);
  const utf16Escapes = (s: string) => s.split('').map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  const forms: Record<string, string> = {
    raw: secret,
    json: JSON.stringify(secret).slice(1, -1),
    'json with \\/': JSON.stringify(secret).slice(1, -1).replaceAll('/', '\\/'),
    'json \\uXXXX for every character': utf16Escapes(secret),
    'json \\uXXXX upper-case hex': utf16Escapes(secret).toUpperCase().replaceAll('\\U', '\\u'),
    'percent-encoding, upper-case hex': encodeURIComponent(secret),
    'percent-encoding, lower-case hex': encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    'form encoding': new URLSearchParams({ a: secret }).toString().slice(2),
    'lower-cased (a host)': secret.toLowerCase(),
    'html decimal entities': [...secret].map((c) => `&#${c.codePointAt(0)};`).join(''),
    'html hex entities': [...secret].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join(''),
    'html named entities': secret.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;'),
  };
  for (const [what, text] of Object.entries(forms)) {
    it(`masks the ${what} form`, () => {
      const masked = r.mask(`before ${text} after`);
      expect(masked).toBe(`before ${MASK} after`);
    });
  }

  for (const offset of [0, 1, 2, 3, 7]) {
    for (const alphabet of ['base64', 'base64url'] as const) {
      it(`masks ${alphabet} of a text holding the value at byte offset ${offset}`, () => {
        const encoded = Buffer.from(`${'P'.repeat(offset)}${secret} tail`).toString(alphabet);
        const masked = r.mask(encoded);
        expect(masked).toContain(MASK);
        // What remains is only the prefix and tail fragments, a few characters each.
        for (const piece of masked.split(MASK)) expect(piece.length).toBeLessThanOrEqual(Math.ceil(((offset + 6) * 4) / 3));
      });
    }
  }

  it('masks base64 of "Bearer " + token and basic credentials at any position', () => {
    const r2 = new Redactor();
    r2.add('tok/en+value=');
    r2.addBasic('agent', 'pa55word');
    const bearer = Buffer.from('Bearer tok/en+value=').toString('base64');
    expect(r2.mask(bearer)).toMatch(/^.{0,12}\*\*\*\*.{0,4}$/);
    expect(r2.mask(`Basic ${Buffer.from('agent:pa55word').toString('base64')}`)).toBe(`Basic ${MASK}`);
  });

  it('computes the forms of a value once (a redactor per request reuses them)', () => {
    const a = new Redactor(['shared-secret-value']);
    const b = new Redactor(['shared-secret-value']);
    expect(a.mask('x shared-secret-value')).toBe(b.mask('x shared-secret-value'));
    expect(a.size).toBe(1);
  });
});
