// CONNECTAUTH: authenticates an Integration Hub connection with its configured authentication
// (OAuth through the run's token cache). Writes authBody, authHeadersList, authErrorDetails and
// authProxy (renamable with `...VarName`); every value masked, so the script never holds a token.
import { Deadline } from '../../hub/http.js';
import { requireHub } from '../../hub/services.js';
import { AuthError } from '../../hub/auth.js';
import type { ActionContext, ActionHandler, ActionOutcome } from '../types.js';
import { abortable, bodyValue, connectFailure, maskerOf, ON_SUCCESS, outputNames, recordDyn, setStatus, textOf } from './connect-common.js';
import { expressionProperty } from './properties.js';

const OUTPUTS = {
  authBodyVarName: 'authBody',
  authHeadersListVarName: 'authHeadersList',
  authErrorDetailsVarName: 'authErrorDetails',
  authProxyVarName: 'authProxy',
};

export const connectAuthAction: ActionHandler = {
  type: 'CONNECTAUTH',
  compile(cctx) {
    const connectName = expressionProperty(cctx, 'connectName', true);
    const out = outputNames(cctx, OUTPUTS);
    return {
      async run(ctx: ActionContext): Promise<ActionOutcome> {
        let name = '';
        try {
          name = (await textOf(ctx, connectName)).trim();
          const hub = requireHub(ctx.services);
          const view = await hub.connection(name);
          const observe = ctx.hub ? (e: { what: 'token-fetch' | 'token-reuse' | 'token-refresh'; connection: string; detail: string }) => ctx.hub!(e) : undefined;
          const result = await abortable(ctx, hub.session.authenticate(view, new Deadline(view.timeoutMs), observe));
          const mask = hub.mask;
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(result.headers)) headers[k] = mask(v);
          ctx.store.set(out.authHeadersListVarName, recordDyn(headers));
          if (result.response) {
            const r = result.response;
            ctx.store.set(out.authBodyVarName, bodyValue(mask(r.body), /json/i.test(r.headers['content-type'] ?? '')));
            ctx.store.set(out.authProxyVarName, setStatus(ctx, r.status, r.statusText));
          } else {
            ctx.store.set(out.authBodyVarName, '');
            ctx.store.set(out.authProxyVarName, setStatus(ctx, 200, 'OK'));
          }
          ctx.hub?.({ connection: view.name, what: 'response', detail: `authenticated (${view.authKind})` });
          return { branch: ON_SUCCESS };
        } catch (e) {
          if (e instanceof AuthError && e.response) {
            const r = e.response;
            ctx.store.set(out.authBodyVarName, bodyValue(maskerOf(ctx)(r.body), /json/i.test(r.headers['content-type'] ?? '')));
            ctx.store.set(out.authProxyVarName, setStatus(ctx, r.status, r.statusText));
            return connectFailure(ctx, e, out.authErrorDetailsVarName, { connection: name, status: r.status });
          }
          return connectFailure(ctx, e, out.authErrorDetailsVarName, { connection: name });
        }
      },
    };
  },
};
