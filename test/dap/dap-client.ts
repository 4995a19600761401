// Starts the real `snip dap` (bin/snip.js, built in dist/) under the real DAP client of
// @vscode/debugadapter-testsupport, over stdio. DebugClient spawns `runtime executable` only, so a
// two-line shell script supplies the `dap` argument.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { packageRoot } from '../../cli/commands/demo.js';

const root = packageRoot();

/** A workspace folder with the given files, removed by `dispose`. */
export async function workspace(files: Record<string, string>): Promise<{ dir: string; file(name: string): string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'snip-dap-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return { dir, file: (name) => path.join(dir, name), dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Every message the adapter sent, as raw JSON text (for leak checks). */
export interface Recorded {
  client: DebugClient;
  /** Every message the adapter sent so far, one JSON text a line. */
  messages(): string;
  /** The next `stopped` event not yet taken (events are queued from the start: no race). */
  nextStop(): Promise<DebugProtocol.StoppedEvent>;
  /** Resolves once the adapter sent `terminated`. */
  terminated: Promise<void>;
}

/** A started client talking to a fresh `snip dap` process; call `client.stop()` when done. */
export async function startAdapter(cwd: string, env: Record<string, string> = {}): Promise<Recorded> {
  const script = path.join(cwd, '.snip-dap.sh');
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  await writeFile(script, `#!/bin/sh\nexec ${q(process.execPath)} ${q(path.join(root, 'bin', 'snip.js'))} dap\n`);
  const client = new DebugClient('/bin/sh', script, 'snip', { cwd, env: { PATH: process.env['PATH'] ?? '', ...env } });
  // Generous: the machine is shared; these are waits, not timing assertions.
  client.defaultTimeout = 60_000;
  const seen: string[] = [];
  // Every message body the adapter sends, as received (ProtocolClient's dispatch is private in types).
  const raw = client as unknown as { dispatch(body: string): void };
  const original = raw.dispatch.bind(client);
  raw.dispatch = (body) => {
    seen.push(body);
    original(body);
  };
  const stops: DebugProtocol.StoppedEvent[] = [];
  const waiting: ((e: DebugProtocol.StoppedEvent) => void)[] = [];
  client.on('stopped', (e: DebugProtocol.StoppedEvent) => {
    const w = waiting.shift();
    if (w) w(e);
    else stops.push(e);
  });
  const terminated = new Promise<void>((resolve) => client.once('terminated', () => resolve()));
  await client.start();
  return {
    client,
    messages: () => seen.join('\n'),
    nextStop: () => {
      const e = stops.shift();
      return e ? Promise.resolve(e) : new Promise((resolve) => waiting.push(resolve));
    },
    terminated,
  };
}

/** Launches with breakpoints set during configuration; resolves once launched. */
export async function launchWith(
  client: DebugClient,
  args: Record<string, unknown>,
  configure: () => Promise<unknown> = async () => undefined,
): Promise<void> {
  await Promise.all([
    client.waitForEvent('initialized').then(async () => {
      await configure();
      await client.configurationDoneRequest();
    }),
    client.initializeRequest(),
    client.launchRequest(args as DebugProtocol.LaunchRequestArguments),
  ]);
}

/** Waits for the next stop and returns its event with the stack, top frame first. */
export async function stopped(dap: Recorded): Promise<{ event: DebugProtocol.StoppedEvent; top: DebugProtocol.StackFrame; frames: DebugProtocol.StackFrame[] }> {
  const event = await dap.nextStop();
  const st = await dap.client.stackTraceRequest({ threadId: 1 });
  return { event, top: st.body.stackFrames[0]!, frames: st.body.stackFrames };
}

/** Variables of a named scope of a frame, by name. */
export async function scopeVariables(client: DebugClient, frameId: number, scope: string): Promise<Map<string, DebugProtocol.Variable>> {
  const scopes = await client.scopesRequest({ frameId });
  const s = scopes.body.scopes.find((x) => x.name === scope);
  if (s === undefined) throw new Error(`no scope ${scope}: ${scopes.body.scopes.map((x) => x.name).join(', ')}`);
  const vars = await client.variablesRequest({ variablesReference: s.variablesReference });
  return new Map(vars.body.variables.map((v) => [v.name, v]));
}

/** Children of an expandable variable, by name. */
export async function childrenOf(client: DebugClient, v: DebugProtocol.Variable): Promise<Map<string, DebugProtocol.Variable>> {
  const r = await client.variablesRequest({ variablesReference: v.variablesReference });
  return new Map(r.body.variables.map((x) => [x.name, x]));
}
