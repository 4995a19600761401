// CONNECTAUTH: authenticates an Integration Hub connection with its configured authentication
// (OAuth through the run's token cache). Writes authBody, authHeadersList, authErrorDetails and
// authProxy (renamable with `...VarName`). Tokens and credential headers are handles
// (`Bearer [[token:...]]`) that the hub replaces at send time: the script never holds a token, so
// no transform of what it holds can reveal one.
import { Deadline } from '../../hub/http.js';
import { requireHub } from '../../hub/services.js';
import { AuthError, DEFAULT_TOKEN_FIELD, usesToken, type AuthResult } from '../../hub/auth.js';
import type { ConnectionView, HubSession } from '../../hub/send.js';
import { setPath } from '../../hub/token-handles.js';
import { parseJsonValue } from '../../json.js';
import type { Value } from '../../values.js';
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
          ctx.store.set(out.authHeadersListVarName, recordDyn(headerHandles(hub.session, view, result)));
          if (result.response) {
            const r = result.response;
            const answer = result.answer ? answerWithHandles(hub.session, view, result) : undefined;
            ctx.store.set(out.authBodyVarName, answer ?? bodyValue(mask(r.body), /json/i.test(r.headers['content-type'] ?? '')));
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

/** The headers the connection's requests carry, each credential as a handle of the run's hub session. */
function headerHandles(session: HubSession, view: ConnectionView, result: AuthResult): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(result.headers)) {
    out[k] = usesToken(view.authKind) && k.toLowerCase() === 'authorization' && result.token
      ? `${result.token.tokenType} ${session.handles.reference(view, 'token')}`
      : session.handles.reference(view, 'credential', k);
  }
  return out;
}

/** The token answer with the access and refresh tokens as handles (other credentials stay `****`). */
function answerWithHandles(session: HubSession, view: ConnectionView, result: AuthResult): Value {
  let answer = setPath(result.answer!, view.auth?.tokenField?.trim() || DEFAULT_TOKEN_FIELD, session.handles.reference(view, 'token'));
  if (result.token?.refreshToken !== undefined && typeof answer.refresh_token === 'string') {
    answer = setPath(answer, 'refresh_token', session.handles.reference(view, 'refresh-token'));
  }
  return parseJsonValue(JSON.stringify(answer));
}
