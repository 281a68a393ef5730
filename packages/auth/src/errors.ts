import { ReasonedError } from '@dakgraph/errors';

/**
 * Why a credential was refused; stable, safe to switch on (the GraphQL layer maps every reason to
 * UNAUTHENTICATED). MISSING only comes from verifyIdentity: a token that is absent is the caller's
 * choice, an identity header that is absent is a routing fault.
 */
export type AuthErrorReason =
  | 'MISSING'
  | 'MALFORMED'
  | 'BAD_SIGNATURE'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  | 'WRONG_ISSUER'
  | 'UNSUPPORTED_ALGORITHM';

/**
 * A credential that was presented but cannot be trusted. `reason` is meant for programs, `message`
 * for people. Configuration faults (a weak secret) are plain Errors instead: they are ours to fix,
 * not the caller's.
 */
export class AuthError extends ReasonedError<AuthErrorReason> {
  constructor(reason: AuthErrorReason, message: string) {
    super(reason, message);
  }
}
