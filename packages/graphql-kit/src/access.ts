import { apiError } from './errors';

/**
 * An access rule's answer, the one style every subgraph's rules use when a request may be refused: allowed,
 * or refused with the code the client gets (UNAUTHENTICATED: identify yourself; FORBIDDEN: not you) and a
 * reason that says what would help. Rules stay pure (no I/O) and are tested as tables; services `refuse`.
 */
export type Decision = { allowed: true } | { allowed: false; code: 'UNAUTHENTICATED' | 'FORBIDDEN'; reason: string };

export const ALLOW: Decision = Object.freeze({ allowed: true });

/** Refused because of who the caller is. */
export const deny = (reason: string): Decision => ({ allowed: false, code: 'FORBIDDEN', reason });

/** Refused because the caller has not said who they are. */
export const logInFirst = (reason: string): Decision => ({ allowed: false, code: 'UNAUTHENTICATED', reason });

/** Throws the refusal as the client-facing error; call it with a decision that did not allow. */
export function refuse(decision: Decision): never {
  if (decision.allowed) throw new Error('refuse() called with an allowing decision');
  throw apiError(decision.code, decision.reason);
}

/** Goes ahead when the decision allows, else throws its refusal. */
export function enforce(decision: Decision): void {
  if (!decision.allowed) refuse(decision);
}
