// `snip hub request add|list|show|activate|deactivate|delete|test`. For studio requests, `show`
// prints the example payload and a Snippet that builds it (HYPHENPLACEHOLDER convention).
import { EXIT, UsageError, type CliIO } from '../io.js';
import type { Connection, HubRequest, Template } from '../../runtime/hub/model.js';
import type { NewRequest } from '../../runtime/hub/store.js';
import { probe } from './auth.js';
import { guarded, open, pairs, print, str, table, takePositionals, type HubContext } from './context.js';

const ADD = {
  trigger: { type: 'string' },
  url: { type: 'string' },
  method: { type: 'string' },
  header: { type: 'string', multiple: true },
  query: { type: 'string', multiple: true },
  'media-type': { type: 'string' },
  body: { type: 'string' },
  inactive: { type: 'boolean' },
} as const;

const ACTIONS = 'add, list, show, activate, deactivate, delete, test';

/** Runs `snip hub request <action> ...`. */
export async function runRequest(action: string | undefined, args: string[], io: CliIO): Promise<number> {
  const ctx = open(args, io, action === 'add' ? ADD : {});
  return guarded(ctx, async () => {
    switch (action) {
      case 'add':
        return add(ctx);
      case 'list': {
        const [conn] = takePositionals(ctx, ['CONN']);
        const list = await ctx.store.listRequests(conn!);
        const rows = [['NAME', 'TRIGGER', 'ACTIVE', 'METHOD', 'URL'], ...list.map((r) => [r.name, r.trigger, r.active ? 'yes' : 'no', r.method ?? '-', r.url ?? '-'])];
        print(ctx, list, list.length ? table(rows) : `connection "${conn}" has no requests\n`);
        return EXIT.ok;
      }
      case 'show': {
        const [conn, name] = takePositionals(ctx, ['CONN', 'NAME']);
        const c = await ctx.store.getConnection(conn!);
        const r = await ctx.store.getRequest(conn!, name!);
        const t = await ctx.store.getTemplate(c.template);
        if (r.trigger === 'studio') {
          const payload = examplePayload(c, t);
          print(ctx, { ...r, examplePayload: payload, exampleSnippet: exampleSnippet(c, r, payload) }, describe(r) + `\nexample payload:\n${JSON.stringify(payload, null, 2)}\n\nexample script:\n${exampleSnippet(c, r, payload)}`);
        } else {
          print(ctx, r, describe(r));
        }
        return EXIT.ok;
      }
      case 'activate':
      case 'deactivate': {
        const [conn, name] = takePositionals(ctx, ['CONN', 'NAME']);
        const r = await ctx.store.setRequestActive(conn!, name!, action === 'activate');
        print(ctx, r, `request "${r.name}" of "${conn}" is ${r.active ? 'active' : 'inactive'}`);
        return EXIT.ok;
      }
      case 'delete': {
        const [conn, name] = takePositionals(ctx, ['CONN', 'NAME']);
        await ctx.store.deleteRequest(conn!, name!);
        print(ctx, { connection: conn, deleted: name }, `deleted request "${name}" of "${conn}"`);
        return EXIT.ok;
      }
      case 'test': {
        const [conn, name] = takePositionals(ctx, ['CONN', 'NAME']);
        const r = await ctx.store.getRequest(conn!, name!);
        if (r.trigger !== 'manual') throw new UsageError(`request "${name}" is a studio request: only manual requests can be tested (a script builds studio requests)`);
        return probe(ctx, conn!, name!);
      }
      default:
        throw new UsageError(action ? `unknown request action '${action}' (${ACTIONS})` : `missing request action (${ACTIONS})`);
    }
  });
}

async function add(ctx: HubContext): Promise<number> {
  const [conn, name] = takePositionals(ctx, ['CONN', 'NAME']);
  const trigger = str(ctx, 'trigger');
  if (trigger !== 'manual' && trigger !== 'studio') throw new UsageError('--trigger must be manual or studio');
  const input: NewRequest = { name: name!, trigger, active: ctx.values.inactive !== true };
  const headers = pairs(ctx, 'header');
  const query = pairs(ctx, 'query');
  if (Object.keys(headers).length) input.headers = headers;
  if (Object.keys(query).length) input.query = query;
  for (const [flag, key] of [['url', 'url'], ['method', 'method'], ['media-type', 'mediaType'], ['body', 'body']] as const) {
    const v = str(ctx, flag);
    if (v !== undefined) input[key] = v;
  }
  if (trigger === 'manual' && (input.url === undefined || input.method === undefined)) throw new UsageError('a manual request needs --url and --method');
  const r = await ctx.store.addRequest(conn!, input);
  print(ctx, r, `added ${r.trigger} request "${r.name}" to "${conn}"${r.active ? '' : ' (inactive)'}`);
  return EXIT.ok;
}

function describe(r: HubRequest): string {
  const kv = (x: Record<string, string>) => Object.entries(x).map(([k, v]) => `${k}=${v}`).join(', ') || '-';
  const lines = [`request     ${r.name}`, `trigger     ${r.trigger}`, `active      ${r.active ? 'yes' : 'no'}`];
  if (r.trigger === 'manual') {
    lines.push(`method      ${r.method ?? '-'}`, `url         ${r.url ?? '-'}`, `headers     ${kv(r.headers)}`, `query       ${kv(r.query)}`, `media type  ${r.mediaType ?? '-'}`, `body        ${r.body ?? '-'}`);
  }
  return lines.join('\n') + '\n';
}

/** The payload shape a script passes to CONNECTREQUEST for a studio request. */
export interface ExamplePayload {
  URL: string;
  HTTPMETHOD: string;
  HEADERS: Record<string, string>;
  QUERYPARAMETERS: Record<string, string>;
  BODY: string;
}

/** An example payload for a studio request of `c`: a URL under its resource domain, its template's first verb. */
export function examplePayload(c: Connection, t: Template): ExamplePayload {
  const base = (c.resourceDomain ?? 'https://api.example.com').replace(/\/+$/, '');
  const method = t.verbs.includes('GET') ? 'GET' : t.verbs[0]!;
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(method);
  return {
    URL: `${base}/resource`,
    HTTPMETHOD: method,
    HEADERS: { 'Content-Type': 'application/json' },
    QUERYPARAMETERS: hasBody ? {} : { limit: '10' },
    BODY: hasBody ? '{"key":"value"}' : '',
  };
}

/** A `.studio` fragment that builds `payload` and sends request `r` of `c`. */
export function exampleSnippet(c: Connection, r: HubRequest, payload: ExamplePayload): string {
  const quote = (s: string) => JSON.stringify(s);
  const member = (name: string) => name.replace(/-/g, 'HYPHENPLACEHOLDER');
  const lines = [
    'SNIPPET build {',
    '  DYNAMIC requestPayload',
    `  ASSIGN requestPayload.URL = ${quote(payload.URL)}`,
    `  ASSIGN requestPayload.HTTPMETHOD = ${quote(payload.HTTPMETHOD)}`,
    ...Object.entries(payload.HEADERS).map(([k, v]) => `  ASSIGN requestPayload.HEADERS.${member(k)} = ${quote(v)}`),
    ...Object.entries(payload.QUERYPARAMETERS).map(([k, v]) => `  ASSIGN requestPayload.QUERYPARAMETERS.${member(k)} = ${quote(v)}`),
    // A JSON body as a nested object: `{` in a string literal would start an interpolation.
    ...(payload.BODY ? Object.entries(JSON.parse(payload.BODY) as Record<string, string>).map(([k, v]) => `  ASSIGN requestPayload.BODY.${member(k)} = ${quote(v)}`) : []),
    '  ASSIGN payloadJSON = requestPayload.asjson()',
    '  ASSIGN payloadJSON = payloadJSON.replace("HYPHENPLACEHOLDER", "-")',
    '}',
    '',
    `CONNECTREQUEST call (connectName = ${quote(c.name)}, requestName = ${quote(r.name)}, requestPayload = payloadJSON)`,
    '  OnSuccess -> done',
    '  OnError -> failed',
    '  OnTimeout -> failed',
  ];
  return lines.join('\n') + '\n';
}
