// A real HTTP server on 127.0.0.1 for hub tests: answers each request with what the test set
// (status, content type, body, extra headers) and records what arrived (method, URL, headers, body).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status?: number;
  type?: string;
  body: string;
  headers?: Record<string, string>;
}

export interface ScriptedServer {
  url: string;
  seen: Seen[];
  /** The answer for the next requests; a function picks one per request. */
  answer: Answer | ((req: Seen, n: number) => Answer);
  close(): Promise<void>;
}

/** Starts a scripted server on a free loopback port. */
export async function startScriptedServer(initial: Answer = { body: '{}' }): Promise<ScriptedServer> {
  const state: ScriptedServer = { url: '', seen: [], answer: initial, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      state.seen.push(seen);
      const a = typeof state.answer === 'function' ? state.answer(seen, state.seen.length) : state.answer;
      res.writeHead(a.status ?? 200, { 'content-type': a.type ?? 'application/json', ...a.headers });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  state.close = () => new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
  return state;
}
