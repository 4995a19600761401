// The RestProxy host object from `GetRESTProxy()`: documented properties and methods (catalog
// language/catalog/rest-proxy.ts). Failures set StatusCode -1 rather than raising, so scripts can
// branch on StatusCode as real Studio code does; a cancelled run still stops the script. Token
// handles from CONNECTAUTH (`Bearer [[token:...]]`) are replaced by the hub session that gave them
// out, towards the destinations their connection allows only, and the answer is masked.
import { SnipError } from '../errors.js';
import { Deadline } from '../hub/http.js';
import { handleIssuer, handleNames, type HandleResolver } from '../hub/token-handles.js';
import { DEFAULT_LIMITS } from '../interpreter/limits.js';
import { parseJsonValue } from '../json.js';
import { parseXmlToDyn } from '../xml.js';
import { Dyn, toNumber, toText, type HostObject, type Value } from '../values.js';
import { base64Encode } from './encoding.js';
import { ProxyFailure, sendProxyRequest, type ProxyRequest, type ProxyResponse } from './rest-http.js';
import type { BuiltinContext } from './types.js';

/** How the proxy sends requests; replaceable so a host can route them through its HTTP layer. */
export type ProxySender = (req: ProxyRequest) => Promise<ProxyResponse>;

const MAX_TIMEOUT_SECONDS = 90;

class RestProxy implements HostObject {
  readonly hostType = 'RestProxy';
  private statusCode = 0;
  private statusDescription = '';
  private contentType = 'application/x-www-form-urlencoded';
  private timeoutSeconds = 10;
  private readonly headers: [string, string][] = [];

  constructor(
    private readonly ctx: BuiltinContext | undefined,
    private readonly send: ProxySender,
  ) {}

  getProperty(name: string): Value | undefined {
    switch (name.toLowerCase()) {
      case 'statuscode': return this.statusCode;
      case 'statusdescription': return this.statusDescription;
      case 'contenttype': return this.contentType;
      case 'proxytimeoutseconds': return this.timeoutSeconds;
      default: return undefined;
    }
  }

  setProperty(name: string, value: Value): boolean {
    switch (name.toLowerCase()) {
      case 'contenttype':
        this.contentType = toText(value);
        return true;
      case 'proxytimeoutseconds': {
        const n = toNumber(value);
        if (!(n > 0 && n <= MAX_TIMEOUT_SECONDS)) {
          throw new SnipError('SNIP3012', `ProxyTimeoutSeconds must be more than 0 and at most ${MAX_TIMEOUT_SECONDS} (got '${toText(value)}')`);
        }
        this.timeoutSeconds = n;
        return true;
      }
      default:
        return false;
    }
  }

  method(name: string): ((args: Value[]) => Value | Promise<Value>) | undefined {
    switch (name.toLowerCase()) {
      case 'addheader':
        return (args) => {
          this.arity('AddHeader', args, 2, 2);
          const key = toText(args[0]!).trim();
          if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) throw new SnipError('SNIP3012', `AddHeader: '${key}' is not a valid header name`);
          this.headers.push([key, toText(args[1]!)]);
          return null;
        };
      case 'encodebase64':
        return (args) => {
          this.arity('EncodeBase64', args, 1, 1);
          return base64Encode(toText(args[0]!));
        };
      case 'makerestrequest':
        return (args) => {
          this.arity('MakeRestRequest', args, 3, 4);
          return this.makeRequest(args);
        };
      default:
        return undefined;
    }
  }

  private arity(name: string, args: Value[], min: number, max: number): void {
    if (args.length < min || args.length > max) {
      const want = min === max ? `${min}` : `${min} to ${max}`;
      throw new SnipError('SNIP3010', `RestProxy.${name} expects ${want} arguments but got ${args.length}`);
    }
  }

  private async makeRequest(args: Value[]): Promise<Value> {
    const url = toText(args[0]!);
    const payload = toText(args[1]!);
    const selector = toNumber(args[2]!);
    if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) throw new SnipError('SNIP3012', `MakeRestRequest: '${url}' is not an http or https URL`);
    if (![0, 1, 2, 3].includes(selector)) throw new SnipError('SNIP3012', `MakeRestRequest: parser selector must be 0, 1, 2 or 3 (got '${toText(args[2]!)}')`);
    const verb = args[3] === undefined || toText(args[3]) === '' ? (payload === '' ? 'GET' : 'POST') : toText(args[3]).toUpperCase();
    if (!/^[A-Z]+$/.test(verb)) throw new SnipError('SNIP3012', `MakeRestRequest: '${verb}' is not an HTTP verb`);
    const xml = selector === 1 || selector === 3;
    const headers: Record<string, string | string[]> = { accept: xml ? 'text/xml' : 'application/json' };
    const hasBody = payload !== '' && verb !== 'GET' && verb !== 'HEAD';
    if (hasBody) headers['content-type'] = this.contentType;
    for (const [k, v] of this.headers) {
      const key = k.toLowerCase();
      const prev = headers[key];
      headers[key] = prev === undefined || key === 'accept' || key === 'content-type' ? v : [...[prev].flat(), v];
    }
    const limits = this.ctx?.limits ?? DEFAULT_LIMITS;
    let res: ProxyResponse;
    let mask = (t: string) => t;
    try {
      let req: ProxyRequest = {
        url, method: verb, headers, body: hasBody ? payload : undefined,
        timeoutMs: this.timeoutSeconds * 1000, maxBytes: limits.maxResponseBytes, signal: this.ctx?.signal,
      };
      const issuer = issuerOf(req);
      if (issuer) {
        req = await withHandles(issuer, req);
        mask = issuer.mask;
      }
      res = await this.send(req);
    } catch (e) {
      if (e instanceof ProxyFailure && e.reason === 'aborted') throw new SnipError('SNIP3015', 'The run was cancelled during MakeRestRequest');
      return this.failed(mask(e instanceof SnipError ? e.shortText() : e instanceof Error ? e.message : String(e)));
    }
    // A server that echoes the token back must not hand it to the script.
    res = { ...res, body: mask(res.body), statusText: mask(res.statusText) };
    this.statusCode = res.status;
    this.statusDescription = res.statusText;
    if (selector >= 2 || res.body.trim() === '') return new Dyn();
    try {
      return xml ? parseXmlToDyn(res.body) : parseJsonValue(res.body);
    } catch (e) {
      // A 2xx answer the script cannot read is the documented "error with the response" (-1).
      if (res.status >= 200 && res.status < 300) return this.failed(e instanceof Error ? e.message : String(e));
      return new Dyn();
    }
  }

  private failed(why: string): Dyn {
    this.statusCode = -1;
    this.statusDescription = why;
    return new Dyn();
  }
}

/**
 * A new REST proxy. The run's context gives the response cap and the abort signal (defaults
 * without one); `send` replaces the HTTP call (the hub's HTTP layer, tests).
 */
export function createRestProxy(ctx?: BuiltinContext, send: ProxySender = sendProxyRequest): HostObject {
  return new RestProxy(ctx, send);
}

/**
 * The hub session that gave out the token handles of `req`, if it holds any.
 * @throws SnipError SNIP4032 for a handle no live session gave out.
 */
function issuerOf(req: ProxyRequest): HandleResolver | undefined {
  const texts = [req.url, req.body ?? '', ...Object.values(req.headers).flat()];
  const names = texts.flatMap(handleNames);
  if (names.length === 0) return undefined;
  const issuer = handleIssuer(names[0]!);
  if (!issuer) throw new SnipError('SNIP4032', `'[[${names[0]}]]' is not a token handle of a run in progress`);
  return issuer;
}

/** `req` with its handles replaced by their session (SNIP4030 towards a destination their connection refuses). */
async function withHandles(issuer: HandleResolver, req: ProxyRequest): Promise<ProxyRequest> {
  // Repeated header values travel joined, as undici would send them.
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
  const resolved = await issuer.resolveHandles({ url: req.url, headers, body: req.body }, new Deadline(req.timeoutMs));
  return { ...req, url: resolved.url, headers: resolved.headers, body: resolved.body };
}
