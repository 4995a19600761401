// Where a connection's credentials (secrets, tokens, authentication headers) may be sent. With a
// resource domain: https URLs under it. Without one: the origin of the authentication URL for
// OAuth, any https URL for the other kinds; plain http only to loopback in every case. A refusal
// names the rule (SNIP4030) and never a substituted value.
import { SnipError } from '../errors.js';
import type { AuthKind } from './auth.js';

/** What decides where one connection's credentials may go. */
export interface DestinationPolicy {
  connection: string;
  authKind: AuthKind;
  resourceDomain?: string | undefined;
  /** The origin of the authentication URL (secrets substituted), for OAuth without a resource domain. */
  authOrigin?: string | undefined;
}

/** Whether `hostname` (as URL parsing gives it) is the local machine: localhost, 127/8, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** A resource domain as a URL (a bare host means https). */
export function resourceDomainUrl(domain: string): URL {
  return new URL(/^[a-z]+:\/\//i.test(domain) ? domain : `https://${domain}`);
}

/** Whether `url` is https on the resource domain's host (or a subdomain) and under its path. */
export function insideResourceDomain(domain: string, url: URL): boolean {
  const d = resourceDomainUrl(domain);
  if (url.protocol !== 'https:') return false;
  const hostOk = url.hostname === d.hostname || url.hostname.endsWith(`.${d.hostname}`);
  const portOk = url.port === d.port || url.hostname !== d.hostname;
  const base = d.pathname.endsWith('/') ? d.pathname : `${d.pathname}/`;
  const pathOk = d.pathname === '/' || url.pathname === d.pathname || url.pathname.startsWith(base);
  return hostOk && portOk && pathOk;
}

/** The rule that applies to `policy`, in words (for refusals and warnings). */
export function destinationRule(policy: DestinationPolicy): string {
  if (policy.resourceDomain) return `https URLs under its resource domain ${policy.resourceDomain}`;
  if (policy.authKind === 'oauth2-client-credentials' || policy.authKind === 'oauth2-password') {
    return `the origin of its authentication URL${policy.authOrigin ? ` (${policy.authOrigin})` : ''}, as it has no resource domain`;
  }
  return 'https URLs (plain http only to loopback), as it has no resource domain';
}

/** Why `url` may not receive the credentials of `policy`'s connection, or undefined when it may. */
export function destinationProblem(policy: DestinationPolicy, url: URL): string | undefined {
  if (policy.resourceDomain) return insideResourceDomain(policy.resourceDomain, url) ? undefined : destinationRule(policy);
  const plainOk = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  if (policy.authKind === 'oauth2-client-credentials' || policy.authKind === 'oauth2-password') {
    if (policy.authOrigin !== undefined && url.origin === policy.authOrigin && plainOk) return undefined;
    return destinationRule(policy);
  }
  return plainOk ? undefined : destinationRule(policy);
}

/**
 * Refuses to send the credentials of `policy`'s connection to `url`.
 * @param what whose credentials, for the message (`the token of 'A'`, `secrets of 'A'`).
 * @throws SnipError SNIP4030
 */
export function checkDestination(policy: DestinationPolicy, url: URL, mask: (t: string) => string, what = `credentials of '${policy.connection}'`): void {
  const rule = destinationProblem(policy, url);
  if (rule === undefined) return;
  const shown = mask(`${url.protocol}//${url.host}${url.pathname}`);
  throw new SnipError('SNIP4030', `refused to send ${what} to '${shown}': connection '${policy.connection}' sends them only to ${rule}`);
}

/**
 * Credentials travel over https, or plain http to loopback only (the authentication request of
 * every kind included).
 * @throws SnipError SNIP4030
 */
export function checkTransport(url: URL, mask: (t: string) => string, what: string): void {
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return;
  const shown = mask(`${url.protocol}//${url.host}${url.pathname}`);
  throw new SnipError('SNIP4030', `refused to send ${what} to '${shown}': credentials go only over https (plain http only to loopback)`);
}

/** The authentication URL's origin when it can be known without sending anything. */
export function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
