import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRestProxy } from '../../../runtime/builtins/index.js';
import { Dyn, toPlain, type HostObject, type Value } from '../../../runtime/values.js';
import { LIMITS, call, makeCtx } from './helpers.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base = '';
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const path = req.url!;
      if (path === '/created') {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end('{"id":7,"ok":true,"tags":["a","b"]}');
      } else if (path === '/xml') {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end('<r><v>1</v></r>');
      } else if (path === '/big') {
        res.writeHead(200);
        res.end('{"x":"' + 'y'.repeat(5000) + '"}');
      } else if (path === '/broken') {
        res.writeHead(200);
        res.end('{"x":');
      } else if (path === '/missing') {
        res.writeHead(404);
        res.end('not json');
      } else if (path === '/slow') {
        setTimeout(() => res.end('{}'), 3000);
      } else {
        res.writeHead(200);
        res.end('');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function proxy(limits = LIMITS, signal?: AbortSignal): HostObject {
  return createRestProxy(makeCtx({ limits, signal }));
}

async function request(p: HostObject, ...args: Value[]): Promise<Value> {
  return p.method('MakeRestRequest')!(args);
}

describe('RestProxy', () => {
  it('has the documented defaults (CE-76, CE-77)', () => {
    const p = call('GetRESTProxy', []) as HostObject;
    expect(p.hostType).toBe('RestProxy');
    expect(p.getProperty('ContentType')).toBe('application/x-www-form-urlencoded');
    expect(p.getProperty('proxytimeoutseconds')).toBe(10);
    expect(p.getProperty('StatusCode')).toBe(0);
  });

  it('EncodeBase64 encodes UTF-8 (CE-80)', () => {
    const p = proxy();
    expect(p.method('encodebase64')!(['a:b'])).toBe('YTpi');
    expect(p.method('EncodeBase64')!([''])).toBe('');
  });

  it('StatusCode and StatusDescription are read-only; ContentType and the timeout are writable', () => {
    const p = proxy();
    expect(p.setProperty('StatusCode', 200)).toBe(false);
    expect(p.setProperty('StatusDescription', 'x')).toBe(false);
    expect(p.setProperty('ContentType', 'application/json')).toBe(true);
    expect(p.getProperty('contenttype')).toBe('application/json');
    expect(() => p.setProperty('ProxyTimeoutSeconds', 0)).toThrow(expect.objectContaining({ code: 'SNIP3012' }));
    expect(() => p.setProperty('ProxyTimeoutSeconds', 91)).toThrow(expect.objectContaining({ code: 'SNIP3012' }));
  });

  it('POSTs the payload with ContentType and added headers, and parses the JSON answer (CE-79)', async () => {
    const p = proxy();
    p.setProperty('ContentType', 'application/json');
    p.method('AddHeader')!(['Authorization', 'Bearer t0k']);
    const result = await request(p, `${base}/created`, '{"name":"x"}', 0, 'POST');
    const last = seen.at(-1)!;
    expect(last.method).toBe('POST');
    expect(last.body).toBe('{"name":"x"}');
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers['authorization']).toBe('Bearer t0k');
    expect(last.headers['accept']).toBe('application/json');
    expect(p.getProperty('StatusCode')).toBe(201);
    expect(p.getProperty('StatusDescription')).toBe('Created');
    expect((result as Dyn).members.get('id')).toBe(7);
    expect(toPlain(result)).toEqual({ id: '7', ok: 'true', tags: ['a', 'b'] });
  });

  it('defaults the verb to GET without a payload and sends no body', async () => {
    const p = proxy();
    await request(p, `${base}/empty`, '', 0);
    expect(seen.at(-1)!.method).toBe('GET');
    expect(seen.at(-1)!.headers['content-type']).toBeUndefined();
    expect(p.getProperty('StatusCode')).toBe(200);
  });

  it('parses XML with selector 1 and ignores the body with selectors 2 and 3', async () => {
    const p = proxy();
    expect(toPlain(await request(p, `${base}/xml`, '', 1, 'GET'))).toEqual({ r: { v: '1' } });
    expect(seen.at(-1)!.headers['accept']).toBe('text/xml');
    expect(toPlain(await request(p, `${base}/created`, '', 2, 'GET'))).toEqual({});
    expect(p.getProperty('StatusCode')).toBe(201);
    expect(toPlain(await request(p, `${base}/xml`, '', 3, 'GET'))).toEqual({});
  });

  it('keeps the status of an error answer whose body is not JSON', async () => {
    const p = proxy();
    const r = await request(p, `${base}/missing`, '', 0, 'GET');
    expect(p.getProperty('StatusCode')).toBe(404);
    expect(p.getProperty('StatusDescription')).toBe('Not Found');
    expect(r).toBeInstanceOf(Dyn);
  });

  it('sets StatusCode -1 for an unreadable 2xx body, a response over the cap, or a refused connection', async () => {
    const p = proxy({ ...LIMITS, maxResponseBytes: 1000 });
    await request(p, `${base}/broken`, '', 0, 'GET');
    expect(p.getProperty('StatusCode')).toBe(-1);
    expect(p.getProperty('StatusDescription')).toContain('Invalid JSON');
    await request(p, `${base}/big`, '', 0, 'GET');
    expect(p.getProperty('StatusCode')).toBe(-1);
    expect(p.getProperty('StatusDescription')).toContain('larger than 1000 bytes');
    await request(p, 'http://127.0.0.1:1/', '', 0, 'GET');
    expect(p.getProperty('StatusCode')).toBe(-1);
  });

  it('honours ProxyTimeoutSeconds', async () => {
    const p = proxy();
    p.setProperty('ProxyTimeoutSeconds', 0.2);
    await request(p, `${base}/slow`, '', 0, 'GET');
    expect(p.getProperty('StatusCode')).toBe(-1);
    expect(p.getProperty('StatusDescription')).toContain('No response within');
  });

  it('a cancelled run stops the request with SNIP3015', async () => {
    const ac = new AbortController();
    const p = proxy(LIMITS, ac.signal);
    const pending = request(p, `${base}/slow`, '', 0, 'GET');
    ac.abort();
    await expect(pending).rejects.toMatchObject({ code: 'SNIP3015' });
  });

  it('rejects bad arguments with SNIP3012 or SNIP3010', async () => {
    const p = proxy();
    await expect(request(p, 'ftp://x/', '', 0)).rejects.toMatchObject({ code: 'SNIP3012' });
    await expect(request(p, `${base}/`, '', 7)).rejects.toMatchObject({ code: 'SNIP3012' });
    await expect(request(p, `${base}/`, '', 0, 'GE T')).rejects.toMatchObject({ code: 'SNIP3012' });
    expect(() => p.method('AddHeader')!(['Bad Name', 'v'])).toThrow(expect.objectContaining({ code: 'SNIP3012' }));
    expect(() => p.method('MakeRestRequest')!([`${base}/`])).toThrow(expect.objectContaining({ code: 'SNIP3010' }));
    expect(p.method('nosuch')).toBeUndefined();
  });
});

describe('token handles in proxy requests (issue 9)', () => {
  it('a handle no run in progress gave out is refused before sending: StatusCode -1, SNIP4032', async () => {
    const p = createRestProxy();
    p.method('AddHeader')!(['Authorization', 'Bearer [[token:0123456789abcdef]]']);
    const res = await p.method('MakeRestRequest')!(['http://127.0.0.1:1/never', '', 0, 'GET']);
    expect(res).toBeInstanceOf(Dyn);
    expect(p.getProperty('StatusCode')).toBe(-1);
    expect(String(p.getProperty('StatusDescription'))).toContain('is not a token handle of a run in progress');
  });
});
