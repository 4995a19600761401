// Errors of the HTTP service: a stable code (SNIP6xxx, or a runtime/hub code passed through), an
// HTTP status, and a message safe to show. Every reply that is not a success has one shape,
// `{ error: { code, message } }`, so clients match on the code and never see a stack trace.
import type { Code } from '../language/codes.js';

/** An error answered to a client as `{ error: { code, message } }` with `status`. */
export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(
    readonly status: number,
    readonly code: Code,
    message: string,
    /** Extra response headers (WWW-Authenticate, Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The JSON body of an error reply. */
export interface ErrorBody {
  error: { code: string; message: string };
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** 401 with the challenge RFC 6750 asks for. */
export function unauthorized(message: string, invalidToken = false): ServiceError {
  const challenge = invalidToken ? 'Bearer realm="snip", error="invalid_token"' : 'Bearer realm="snip"';
  return new ServiceError(401, 'SNIP6006', message, { 'www-authenticate': challenge });
}

/** JSON schema of the error reply, for route `response` schemas. */
export const ERROR_SCHEMA = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;
