// Bridges a `HubStore` to the HTTP layer: builds the `ConnectionView` that send.ts and probe.ts take
// (template verbs and required headers, TLS settings, secrets decrypted at send time).
import type { TlsSettings } from './http.js';
import type { ConnectionSource } from './probe.js';
import type { ConnectionView } from './send.js';
import type { HubStore } from './store.js';

/** Everything sending needs about connection `name`, secrets decrypted (SNIP4009 on a wrong key). */
export async function connectionView(store: HubStore, name: string): Promise<ConnectionView> {
  const { connection: c, template: t, secrets } = store.connectionParts
    ? await store.connectionParts(name)
    : await (async () => {
        const connection = await store.getConnection(name);
        return { connection, template: await store.getTemplate(connection.template), secrets: await store.resolveSecrets(name) };
      })();
  const tls: TlsSettings = {};
  if (c.caBundle) tls.ca = c.caBundle;
  if (c.mtls) {
    tls.cert = c.mtls.certPem;
    tls.key = c.mtls.keyPem;
    const pass = c.mtls.passphraseSecret !== undefined ? secrets.get(c.mtls.passphraseSecret) : undefined;
    if (pass !== undefined) tls.passphrase = pass;
  }
  const view: ConnectionView = {
    hub: store.id,
    name: c.name,
    authKind: t.authType,
    verbs: t.verbs,
    requiredHeaders: t.authHeaders.filter((h) => h.required).map((h) => h.name),
    timeoutMs: c.timeoutMs,
    auth: c.auth,
    secrets,
    requests: c.requests,
    status: c.status,
  };
  if (c.resourceDomain) view.resourceDomain = c.resourceDomain;
  if (Object.keys(tls).length > 0) view.tls = tls;
  return view;
}

/**
 * A `ConnectionSource` over a store for `testManualRequest` / `testAuthentication` and the actions;
 * record successes with `HubSessionOptions.onAuthorized: (c) => store.markAuthorized(c.name)`.
 */
export function storeSource(store: HubStore): ConnectionSource {
  return { connectionView: (name) => connectionView(store, name) };
}
