// `snip dap` run control through the real DebugClient: Pause stops an endless WHILE and Disconnect
// ends the adapter cleanly; Terminate aborts an in-flight HTTP request (the server sees its
// connection closed) while the adapter stays up; Restart runs again without ending the session.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchWith, scopeVariables, startAdapter, stopped, workspace, type Recorded } from './dap-client.js';

let ws: Awaited<ReturnType<typeof workspace>>;
let dap: Recorded;
let server: Server;
let port = 0;
let arrived: (req: IncomingMessage) => void = () => undefined;

beforeAll(async () => {
  // Holds every request open: only the client can end it.
  server = createServer((req) => arrived(req));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  ws = await workspace({
    'loop.snip': ['TRACE "looping"', 'n = 0', 'WHILE 1 = 1', '{', '  n = n + 1', '}', ''].join('\n'),
    'slow.snip': ['proxy = GetRESTProxy()', 'TRACE "sending"', `r = proxy.MakeRestRequest("http://127.0.0.1:${port}/slow", "", 0, "GET")`, 'done = 1', ''].join('\n'),
    'short.snip': ['a = 1', 'b = 2', ''].join('\n'),
    'broken.snip': ['x = (1', ''].join('\n'),
  });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await ws.dispose();
});
afterEach(async () => {
  // A test that disconnected already ended the adapter: nothing would answer another disconnect.
  if (adapterProcess()?.exitCode === null) await dap.client.stop();
  else dap.client.stopAdapter();
});

/** The adapter's process (DebugClient keeps it in a private field). */
function adapterProcess(): ChildProcess {
  return (dap.client as unknown as { _adapterProcess: ChildProcess })._adapterProcess;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('run control', () => {
  it('pauses inside an endless WHILE, evaluates there, then disconnects cleanly', async () => {
    dap = await startAdapter(ws.dir);
    const looping = dap.client.assertOutput('stdout', 'looping');
    await launchWith(dap.client, { program: ws.file('loop.snip'), limits: { maxSteps: 1_000_000_000_000 } });
    await looping;
    await dap.client.pauseRequest({ threadId: 1 });
    const s = await stopped(dap);
    expect(s.event.body.reason).toBe('pause');
    expect([3, 5]).toContain(s.top.line);
    const n = Number((await scopeVariables(dap.client, s.top.id, 'Script')).get('n')?.value);
    expect(n).toBeGreaterThan(0);
    const r = await dap.client.evaluateRequest({ expression: 'n > 0', frameId: s.top.id, context: 'watch' });
    expect(r.body.result).toBe('1'); // a comparison gives 1 or 0 (issue 16)
    const child = adapterProcess();
    await dap.client.disconnectRequest({});
    expect(await exited(child)).toBe(0);
  });

  it('terminate aborts an in-flight HTTP request while the adapter lives on', async () => {
    dap = await startAdapter(ws.dir);
    const request = new Promise<IncomingMessage>((resolve) => (arrived = resolve));
    await launchWith(dap.client, { program: ws.file('slow.snip') });
    const req = await request;
    const closed = new Promise<void>((resolve) => req.socket.once('close', () => resolve()));
    await dap.client.terminateRequest({});
    await closed;
    // The request was aborted by the run ending, not by the adapter process going away.
    expect(adapterProcess().exitCode).toBeNull();
    await dap.terminated;
    expect(dap.messages()).not.toContain('"done"');
  });

  it('a program that does not compile reports its errors and ends with exit code 2', async () => {
    dap = await startAdapter(ws.dir);
    const exited = dap.client.waitForEvent('exited');
    const error = dap.client.assertOutput('stderr', `${ws.file('broken.snip')}:1:7: error SNIP1008`);
    await launchWith(dap.client, { program: ws.file('broken.snip') });
    await error;
    expect((await exited).body.exitCode).toBe(2);
    await dap.terminated;
  });

  it('a bad launch configuration is refused with a message naming the field', async () => {
    dap = await startAdapter(ws.dir);
    await dap.client.initializeRequest();
    const refused = await dap.client.launchRequest({ program: ws.file('short.snip'), trace: 'loud' } as never).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(refused).toMatch(/SNIP3041: 'trace' must be off, actions or statements/);
  });

  it('restart runs the script again in the same session', async () => {
    dap = await startAdapter(ws.dir);
    await launchWith(dap.client, { program: ws.file('short.snip'), stopOnEntry: true });
    const first = await stopped(dap);
    expect(first.event.body.reason).toBe('entry');
    expect(first.top.line).toBe(1);
    await dap.client.nextRequest({ threadId: 1 });
    expect((await stopped(dap)).top.line).toBe(2);
    await dap.client.restartRequest({});
    const again = await stopped(dap);
    expect(again.event.body.reason).toBe('entry');
    expect(again.top.line).toBe(1);
    expect((await scopeVariables(dap.client, again.top.id, 'Script')).has('a')).toBe(false);
    await Promise.all([dap.client.continueRequest({ threadId: 1 }), dap.terminated]);
  });
});
