// Hub rules: every refusal names its field and carries its code.
import { describe, expect, it } from 'vitest';
import { slugOf, type Connection, type HubRequest, type Template } from '../../../runtime/hub/model.js';
import { hasVariables, validateAuth, validateConnection, validateRequest, validateSecretName, validateTemplate } from '../../../runtime/hub/rules.js';

const template = (over: Partial<Template> = {}): Template => ({
  name: 'Agents',
  application: 'Agents API',
  integrationMethod: 'REST',
  authType: 'oauth2-client-credentials',
  description: '',
  verbs: ['GET', 'POST'],
  authHeaders: [{ name: 'X-Tenant', required: true }, { name: 'X-Trace', required: false }],
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

const connection = (over: Partial<Connection> = {}): Connection => ({
  name: 'Agents API',
  template: 'Agents',
  timeoutMs: 10000,
  auth: { headers: {}, query: {} },
  secrets: [],
  requests: [],
  status: 'pending',
  createdAt: 'x',
  updatedAt: 'x',
  ...over,
});

const request = (over: Partial<HubRequest> = {}): HubRequest => ({
  name: 'Lookup',
  trigger: 'manual',
  active: true,
  url: 'https://api.example.com/agents',
  method: 'GET',
  headers: {},
  query: {},
  createdAt: 'x',
  updatedAt: 'x',
  ...over,
});

const PEM_CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';

function codes(problems: { code: string; field: string }[]): string[] {
  return problems.map((p) => `${p.code} ${p.field}`);
}

describe('templates', () => {
  it('accepts a well-formed template', () => {
    expect(validateTemplate(template())).toEqual([]);
  });
  it.each([
    [{ name: '' }, 'SNIP4021 name'],
    [{ name: ' padded' }, 'SNIP4021 name'],
    [{ application: '' }, 'SNIP4021 application'],
    [{ integrationMethod: 'SOAP' as 'REST' }, 'SNIP4021 integrationMethod'],
    [{ authType: 'kerberos' as Template['authType'] }, 'SNIP4021 authType'],
    [{ verbs: [] }, 'SNIP4021 verbs'],
    [{ verbs: ['GET', 'FETCH'] }, 'SNIP4021 verbs'],
    [{ verbs: ['GET', 'GET'] }, 'SNIP4021 verbs'],
    [{ authHeaders: [{ name: 'Bad Header', required: true }] }, 'SNIP4021 authHeaders[0].name'],
    [{ authHeaders: [{ name: 'X-A', required: true }, { name: 'x-a', required: false }] }, 'SNIP4021 authHeaders[1].name'],
  ])('refuses %j', (over, expected) => {
    expect(codes(validateTemplate(template(over)))).toContain(expected);
  });
  it('names the template in the message', () => {
    expect(validateTemplate(template({ verbs: ['FETCH'] }))[0]!.message).toBe('template "Agents": verbs "FETCH" is not one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS');
  });
});

describe('connections', () => {
  it('accepts a fresh connection without authentication details', () => {
    expect(validateConnection(connection(), template())).toEqual([]);
  });
  it('refuses a verb outside the template with a message naming the field', () => {
    const p = validateAuth(connection({ auth: { url: 'https://id.example.com/token', method: 'PATCH', headers: { 'X-Tenant': 't1' }, query: {} } }), template());
    expect(p).toEqual([{ code: 'SNIP4005', field: 'auth.method', message: `connection "Agents API": auth.method "PATCH" is not one of the template's verbs GET, POST` }]);
  });
  it('refuses a missing or empty required template header', () => {
    const auth = { url: 'https://id.example.com/token', method: 'POST', headers: { 'X-Trace': '1' }, query: {} };
    expect(codes(validateAuth(connection({ auth }), template()))).toEqual(['SNIP4006 auth.headers']);
    expect(codes(validateAuth(connection({ auth: { ...auth, headers: { 'x-tenant': ' ' } } }), template()))).toEqual(['SNIP4006 auth.headers']);
    expect(validateAuth(connection({ auth: { ...auth, headers: { 'x-tenant': '[[tenant]]' } } }), template())).toEqual([]);
  });
  it('refuses variables in the authentication URL, headers, query and body, but allows secrets and JSON', () => {
    const p = validateAuth(
      connection({ auth: { url: 'https://id.example.com/{tenant}/token', method: 'POST', headers: { 'X-Tenant': '{t}' }, query: { a: '{b.c}' }, body: '{"grant":"{g}"}' } }),
      template(),
    );
    expect(codes(p)).toEqual(['SNIP4022 auth.headers.X-Tenant', 'SNIP4022 auth.query.a', 'SNIP4022 auth.body', 'SNIP4022 auth.url']);
    const ok = validateAuth(
      connection({ auth: { url: '[[base url]]/token', method: 'POST', headers: { 'X-Tenant': '[[tenant id]]' }, query: {}, body: '{"grant_type":"client_credentials","client_id":"[[client id]]"}' } }),
      template(),
    );
    expect(ok).toEqual([]);
  });
  it('requires a token URL for OAuth once authentication is set', () => {
    expect(codes(validateAuth(connection({ auth: { headers: { 'X-Tenant': 't' }, query: {} } }), template()))).toEqual(['SNIP4021 auth.url']);
  });
  it('refuses a non-http URL and a timeout out of range', () => {
    const c = connection({ timeoutMs: 0, auth: { url: 'ftp://x', method: 'GET', headers: { 'X-Tenant': 't' }, query: {} } });
    expect(codes(validateConnection(c, template()))).toEqual(['SNIP4021 timeoutMs', 'SNIP4021 auth.url']);
  });
  it('allows mTLS only with OAuth and an https authentication URL (SNIP4020)', () => {
    const mtls = { certPem: PEM_CERT, keyPem: PEM_KEY };
    const httpsAuth = { url: 'https://id.example.com/token', method: 'POST', headers: { 'X-Tenant': 't' }, query: {} };
    expect(validateAuth(connection({ auth: httpsAuth, mtls }), template())).toEqual([]);
    expect(codes(validateAuth(connection({ auth: { ...httpsAuth, url: 'http://id.example.com/token' }, mtls }), template()))).toEqual(['SNIP4020 mtls']);
    expect(codes(validateAuth(connection({ auth: httpsAuth, mtls }), template({ authType: 'basic' })))).toEqual(['SNIP4020 mtls']);
    expect(codes(validateAuth(connection({ auth: httpsAuth, mtls: { certPem: 'nope', keyPem: PEM_KEY } }), template()))).toEqual(['SNIP4021 mtls.certPem']);
  });
  it('refuses a resource domain that is not https', () => {
    expect(codes(validateConnection(connection({ resourceDomain: 'http://api.example.com' }), template()))).toEqual(['SNIP4021 resourceDomain']);
    expect(validateConnection(connection({ resourceDomain: 'https://api.example.com/v2' }), template())).toEqual([]);
  });
  it('refuses more than 50 requests (SNIP4010) and duplicate request names', () => {
    const many = Array.from({ length: 51 }, (_, i) => request({ name: `r${i}` }));
    expect(codes(validateConnection(connection({ requests: many }), template()))).toEqual(['SNIP4010 requests']);
    const dup = [request(), request()];
    expect(codes(validateConnection(connection({ requests: dup }), template()))).toEqual(['SNIP4003 requests[1].name']);
  });
  it('refuses a status other than pending or authorized', () => {
    expect(codes(validateConnection(connection({ status: 'ok' as 'pending' }), template()))).toEqual(['SNIP4021 status']);
  });
});

describe('requests', () => {
  const c = { name: 'Agents API' };
  it('accepts a manual request with secrets and a studio request', () => {
    expect(validateRequest(c, request({ url: 'https://api.example.com/a?key=[[api key]]' }), template())).toEqual([]);
    expect(validateRequest(c, request({ trigger: 'studio', url: undefined as unknown as string, method: undefined as unknown as string }), template())).toEqual([]);
  });
  it.each([
    [{ url: '' }, 'SNIP4021 url'],
    [{ method: 'DELETE' }, 'SNIP4005 method'],
    [{ url: 'https://api.example.com/agents/{agentId}' }, 'SNIP4022 url'],
    [{ body: 'id={id}' }, 'SNIP4022 body'],
    [{ headers: { 'X-Id': '{id}' } }, 'SNIP4022 headers.X-Id'],
    [{ trigger: 'timer' as 'manual' }, 'SNIP4021 trigger'],
    [{ active: 'yes' as unknown as boolean }, 'SNIP4021 active'],
  ])('refuses %j', (over, expected) => {
    expect(codes(validateRequest(c, request(over), template()))).toContain(expected);
  });
  it('refuses fixed parts on a studio request', () => {
    expect(codes(validateRequest(c, request({ trigger: 'studio' }), template()))).toEqual(['SNIP4021 url', 'SNIP4021 method']);
  });
  it('refuses a manual URL outside the resource domain (SNIP4018)', () => {
    const rd = { name: 'X', resourceDomain: 'https://api.example.com/v2' };
    expect(codes(validateRequest(rd, request({ url: 'https://api.example.com/v1/a' }), template()))).toEqual(['SNIP4018 url']);
    expect(codes(validateRequest(rd, request({ url: 'http://api.example.com/v2/a' }), template()))).toEqual(['SNIP4018 url']);
    expect(validateRequest(rd, request({ url: 'https://api.example.com/v2/a' }), template())).toEqual([]);
  });
});

describe('secret names and helpers', () => {
  it('allows spaces and special characters, refuses brackets pairs and blanks', () => {
    expect(validateSecretName('C', 'client secret #2 (prod)!')).toEqual([]);
    expect(codes(validateSecretName('C', 'a]]b'))).toEqual(['SNIP4021 secret name']);
    expect(codes(validateSecretName('C', ''))).toEqual(['SNIP4021 secret name']);
    expect(codes(validateSecretName('C', 'line\nbreak'))).toEqual(['SNIP4021 secret name']);
  });
  it('tells variables from secrets and JSON', () => {
    expect(hasVariables('{x}')).toBe(true);
    expect(hasVariables('a {list[1]} b')).toBe(true);
    expect(hasVariables('[[ {not a var} ]]')).toBe(false);
    expect(hasVariables('{"a": 1}')).toBe(false);
  });
  it('slugs names to readable file names', () => {
    expect(slugOf('Agents API (prod)')).toBe('agents-api-prod');
    expect(slugOf('Café')).toBe('cafe');
    expect(slugOf('***')).toBe('item');
  });
});
