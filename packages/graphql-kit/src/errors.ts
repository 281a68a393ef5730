import { HeaderMap } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/**
 * The stable `extensions.code` values clients may switch on. Adding a code is an API change:
 * document it in the README's error table.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'QUERY_TOO_COMPLEX'
  | 'SERVICE_UNAVAILABLE'
  | 'BAD_REQUEST'
  | 'OTP_INVALID'
  | 'OTP_LOCKED'
  | 'INTERNAL_SERVER_ERROR';

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  SERVICE_UNAVAILABLE: 503,
  BAD_REQUEST: 400,
  QUERY_TOO_COMPLEX: 400,
};

/** Builds a client-facing error. `extra` lands in `extensions` (e.g. `{ field: 'pincode' }`). */
export function apiError(
  code: ErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
  httpHeaders?: Record<string, string>,
): GraphQLError {
  const status = HTTP_STATUS[code];
  const headers = httpHeaders ? new HeaderMap(Object.entries(httpHeaders)) : undefined;
  return new GraphQLError(message, {
    extensions: { code, ...extra, ...(status ? { http: { status, ...(headers ? { headers } : {}) } } : {}) },
  });
}

export const badInput = (message: string, field?: string) =>
  apiError('BAD_USER_INPUT', message, field ? { field } : {});
export const notFound = (message: string) => apiError('NOT_FOUND', message);
export const forbidden = (message: string) => apiError('FORBIDDEN', message);
export const unauthenticated = (message: string) => apiError('UNAUTHENTICATED', message);
export const conflict = (message: string) => apiError('CONFLICT', message);

const KNOWN_CODES = new Set<string>([
  'BAD_USER_INPUT', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT', 'RATE_LIMITED', 'PAYLOAD_TOO_LARGE',
  'QUERY_TOO_COMPLEX', 'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE', 'BAD_REQUEST', 'SERVICE_UNAVAILABLE',
  'OTP_INVALID', 'OTP_LOCKED',
]);

/**
 * Apollo `formatError`: errors we raised on purpose pass through; anything else (a driver error, a bug)
 * is logged here and reaches the client only as a generic INTERNAL_SERVER_ERROR, never with a stack
 * trace or SQL text.
 */
export function maskUnexpectedErrors(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  // Apollo re-codes every validation error GRAPHQL_VALIDATION_FAILED; our own validation rules (depth,
  // aliases, cost) carry a more specific code on the original error, which clients can act on.
  const originalCode = (error as { originalError?: { extensions?: { code?: unknown } } } | null)?.originalError?.extensions?.code;
  if (formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && typeof originalCode === 'string' && KNOWN_CODES.has(originalCode)) {
    formatted = { ...formatted, extensions: { ...formatted.extensions, code: originalCode } };
  }
  // Apollo's own refusals of a malformed request (a persisted query whose hash does not match, an
  // unsupported persisted-query version) carry an HTTP 4xx status but no code: they are the client's
  // mistake, with a message the client can act on, not an internal error.
  const status = (error as { extensions?: { http?: { status?: unknown } } } | null)?.extensions?.http?.status;
  if (formatted.extensions?.code === 'INTERNAL_SERVER_ERROR' && typeof status === 'number' && status >= 400 && status < 500) {
    formatted = { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && KNOWN_CODES.has(code)) {
    // `response` is the gateway's record of a failed subgraph call: internal URLs and bodies.
    const { stacktrace: _stacktrace, response: _response, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  console.error('[graphql] unexpected error:', (error as { originalError?: unknown })?.originalError ?? error);
  return {
    message: 'Internal server error; it has been logged',
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
