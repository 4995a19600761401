// Issue 9, item 8 (part): 429 and 503 with a Retry-After that fits in the remaining timeout budget
// are retried once; otherwise the answer stands and the note names the Retry-After. Counts, not
// clocks: every assertion is on what the real server received and what came back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubSession, type ConnectionView } from '../../../runtime/hub/send.js';
import { retryAfterMs } from '../../../runtime/hub/retry-after.js';
import { startScriptedServer, type ScriptedServer } from './token-server.js';

let srv: ScriptedServer;
beforeAll(async () => {
  srv = await startScriptedServer();
});
afterAll(() => srv.close());

function conn(timeoutMs = 5000): ConnectionView {
  return { hub: 'retry', name: 'Retry', authKind: 'none', verbs: ['GET'], requiredHeaders: [], timeoutMs, secrets: new Map(), requests: [{ name: 'Any', trigger: 'studio', active: true }] };
}

/** Answers the first `busy` requests with `status` and `retryAfter`, then 200. */
function busy(status: number, retryAfter: string | undefined, count = 1): void {
  srv.seen.length = 0;
  srv.answer = (_req, n) =>
    n <= count ? { status, body: '{"busy":true}', ...(retryAfter !== undefined ? { headers: { 'retry-after': retryAfter } } : {}) } : { body: '{"ok":true}' };
}

const send = (c = conn()) => new HubSession().sendStudio(c, 'Any', JSON.stringify({ URL: `${srv.url}/x` }));

describe('Retry-After', () => {
  for (const status of [429, 503]) {
    it(`${status} with a Retry-After that fits is retried once`, async () => {
      busy(status, '0');
      const res = await send();
      expect(res.status).toBe(200);
      expect(res.note).toBeUndefined();
      expect(srv.seen).toHaveLength(2);
    });
  }

  it('an HTTP-date Retry-After in the past counts as now', async () => {
    busy(503, new Date(Date.now() - 60_000).toUTCString());
    expect((await send()).status).toBe(200);
    expect(srv.seen).toHaveLength(2);
  });

  it('a Retry-After longer than the time left is not waited for; the note names it', async () => {
    busy(429, '120');
    const res = await send(conn(3000));
    expect(res.status).toBe(429);
    expect(srv.seen).toHaveLength(1);
    expect(res.note).toMatch(/^Retry-After 120 s does not fit in the \d+ ms left of the 3000 ms timeout$/);
  });

  it('a second 429 is returned, saying it was retried once', async () => {
    busy(429, '0', 5);
    const res = await send();
    expect(res.status).toBe(429);
    expect(srv.seen).toHaveLength(2);
    expect(res.note).toBe('Retry-After 0 s; retried once');
  });

  it('no Retry-After, or another status: no retry', async () => {
    busy(429, undefined);
    expect((await send()).status).toBe(429);
    busy(500, '0');
    expect((await send()).status).toBe(500);
    expect(srv.seen).toHaveLength(1);
  });

  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs({ 'retry-after': '7' })).toBe(7000);
    expect(retryAfterMs({ 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' }, Date.parse('Wed, 21 Oct 2015 07:27:58 GMT'))).toBe(2000);
    expect(retryAfterMs({ 'retry-after': 'soon' })).toBeUndefined();
    expect(retryAfterMs({})).toBeUndefined();
  });
});
