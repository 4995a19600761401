// Regression: the objects that hold secret values or tokens (the redactor, the token cache, a hub
// session and its handles) print and serialise as a label only, so a host that logs one by
// accident (console.log, a logger, JSON.stringify into an error report) leaks nothing.
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { Redactor } from '../../../runtime/hub/redact.js';
import { HubSession } from '../../../runtime/hub/send.js';
import { TokenCache } from '../../../runtime/hub/token-cache.js';

const SECRET = 'pa55-w0rd-that-must-stay-hidden';
const TOKEN = 'eyJhbGciOi.token-value-9f8e7d';

describe('holders of secrets hide them from inspection', () => {
  test('redactor, token cache and session show no value', async () => {
    const tokens = new TokenCache();
    await tokens.get({ hub: 'h', connection: 'c', scope: '' } as never, async () => ({ accessToken: TOKEN, tokenType: 'Bearer' }) as never);
    const redactor = new Redactor([SECRET]);
    redactor.add(TOKEN);
    const session = new HubSession({ tokens, redactor });
    for (const holder of [redactor, tokens, session, session.handles]) {
      const printed = inspect(holder, { depth: 20, showHidden: true }) + JSON.stringify(holder) + String(holder);
      expect(printed).not.toContain(SECRET);
      expect(printed).not.toContain(TOKEN);
      expect(printed).toContain('[values hidden]');
    }
    // The masker itself still works.
    expect(session.mask(`x ${SECRET} y`)).not.toContain(SECRET);
    await session.close();
  });
});
