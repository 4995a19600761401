// Cassette placeholders: secrets in every encoding, tokens, basic credentials and var values become
// names; nothing of a secret's encoding is left behind.
import { describe, expect, it } from 'vitest';
import { Placeholders } from '../../runtime/testing/placeholders.js';

describe('placeholders', () => {
  const secrets = new Map([
    ['user', 'abc'],
    ['password', 'pa ss/wörd+1'],
    ['BASE', 'http://127.0.0.1:41234'],
  ]);
  const p = () => new Placeholders(secrets, { ORIGIN: 'http://127.0.0.1:41234', HOST: 'api.example.test' });

  it('replaces secrets raw, URL-encoded, JSON-escaped and base64, secrets before vars', () => {
    const ph = p();
    expect(ph.apply('http://127.0.0.1:41234/x?p=pa%20ss%2Fw%C3%B6rd%2B1')).toBe('[[ BASE ]]/x?p=[[ password ]]');
    expect(ph.apply('p=pa+ss%2Fw%C3%B6rd%2B1&u=abc')).toBe('p=[[ password ]]&u=[[ user ]]');
    expect(ph.apply(JSON.stringify({ p: 'pa ss/wörd+1' }))).toBe('{"p":"[[ password ]]"}');
    expect(ph.apply(Buffer.from('pa ss/wörd+1').toString('base64'))).toBe('[[ password ]]');
    expect(ph.apply('https://api.example.test/v1')).toBe('https://{{HOST}}/v1');
  });

  it('basic credentials: the pair is decoded first, so no part of its base64 survives', () => {
    // base64("abc") is a prefix of base64("abc:..."): replacing it there would keep the password's part.
    const header = `Basic ${Buffer.from('abc:pa ss/wörd+1').toString('base64')}`;
    expect(Buffer.from('abc:pa ss/wörd+1').toString('base64').startsWith(Buffer.from('abc').toString('base64'))).toBe(true);
    expect(p().apply(header)).toBe('Basic base64([[ user ]]:[[ password ]])');
  });

  it('learns tokens from JSON and form token responses', () => {
    const ph = p();
    ph.learnTokens('{"access_token":"eyJhbGciOi.tok","refresh_token":"r-123456","token_type":"Bearer"}');
    ph.learnTokens('access_token=form-token-9&token_type=bearer');
    expect(ph.apply('Bearer eyJhbGciOi.tok')).toBe('Bearer [[ access_token ]]');
    expect(ph.apply('refresh_token=r-123456')).toBe('refresh_token=[[ refresh_token ]]');
    expect(ph.apply('Bearer form-token-9')).toBe('Bearer [[ access_token ]]');
  });

  it('expands vars back for replayed responses and leaves secret placeholders alone', () => {
    expect(p().expand('{{ORIGIN}}/next [[ password ]] {{UNKNOWN}}')).toBe('http://127.0.0.1:41234/next [[ password ]] {{UNKNOWN}}');
  });
});
