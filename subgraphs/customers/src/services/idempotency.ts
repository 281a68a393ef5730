import { checkIdempotencyKey, conflict, idempotencyPrincipal, requestFingerprint } from '@dakgraph/graphql-kit';
import type { CustomersContext } from '../context';
import { isUniqueViolation, type CustomersTx } from '../db';

export interface IdempotentOutcome {
  /** The id of what was created, now or by the first request with this key. */
  id: string;
  /** True when this is a retry answered from the record. */
  replayed: boolean;
}

/**
 * Runs a creating mutation at most once per (caller, idempotency key), in one transaction with its record:
 * - a new key: `create` runs, and its result (the new record's id) is stored with a fingerprint of `args`;
 * - the same key with the same `args`: nothing runs; the first result's id comes back (`replayed`);
 * - the same key with other `args` (or another operation): CONFLICT.
 * `args` should be the validated, normalised input, so that " Asha " and "Asha" are the same request.
 * `create` must use only the transaction it is given. If anything throws, nothing is written.
 */
export async function idempotent(
  ctx: CustomersContext,
  operation: string,
  key: string,
  args: unknown,
  create: (tx: CustomersTx) => Promise<string>,
): Promise<IdempotentOutcome> {
  checkIdempotencyKey(key);
  const principal = idempotencyPrincipal(ctx.viewer);
  const requestHash = requestFingerprint(ctx.secrets.identitySecret, operation, args);
  const attempt = () =>
    ctx.prisma.$transaction(async (tx) => {
      // Concurrent retries of one key wait here for the first to commit, then find its record. Without
      // the lock a retry could see the first one's customer (statements read the latest commit) before
      // its record, and answer CONFLICT to an honest retry.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`idempotency:${principal}:${key}`}, 0))`;
      const previous = await tx.idempotencyRecord.findUnique({ where: { principal_key: { principal, key } } });
      // Records live for IDEMPOTENCY_RETENTION_HOURS; the subgraph's housekeeping purges older ones.
      if (previous) {
        if (previous.operation !== operation || previous.requestHash !== requestHash) {
          throw conflict(
            'This idempotencyKey was already used for a different request; use a new key for a new request, or resend the first request unchanged',
          );
        }
        return { id: (previous.response as { id: string }).id, replayed: true };
      }
      const id = await create(tx);
      await tx.idempotencyRecord.create({ data: { principal, key, operation, requestHash, response: { id } } });
      return { id, replayed: false };
    });
  try {
    return await attempt();
  } catch (error) {
    // Two creations raced for a unique value (an email) under different keys: the loser's transaction
    // rolled back. Once more sees the winner's row and answers CONFLICT from the ordinary check.
    if (!isUniqueViolation(error)) throw error;
  }
  try {
    return await attempt();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('A record with the same unique details was created at the same moment; reload and check before retrying');
    throw error;
  }
}
