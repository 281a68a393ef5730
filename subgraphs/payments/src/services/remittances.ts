import { badInput, conflict, enforce, keysetPage, newId, notFound, type ConnectionResult, type PageArgs } from '@dakgraph/graphql-kit';
import { canReadPartnerCod, canRemit, principalOf } from '../access';
import type { PaymentsContext } from '../context';
import type { CodCollectionRow, RemittanceRow } from '../db';
import { remittanceAmounts, remittanceEntries, remittancePaidEntries } from '../domain';
import { codRemittedEvent, recordPaymentEvents } from './events';
import { postTransactions } from './ledger';

/**
 * Remittances: a partner's collected and unremitted COD paid out in one batch, less its COD fees and their
 * GST, then marked paid with the bank's reference. A collection joins one remittance only (its
 * remittance_id is set once, under a row lock), so the same article is never remitted twice.
 */

const PARTNER_ID = /^ptn_[0-9a-z]{26}$/i;
const REMITTANCE_ID = /^rem_[0-9a-z]{26}$/i;
const BANK_REFERENCE = /^[A-Za-z0-9]{6,35}$/;

function checkPartnerId(partnerId: string, field: string): string {
  if (!PARTNER_ID.test(partnerId)) throw badInput(`${field} must be a partner id ("ptn_" and 26 characters); got "${partnerId.slice(0, 40)}"`, field);
  return partnerId;
}

function checkInstant(text: string, field: string, now: Date): Date {
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? new Date(text) : null;
  if (!at || Number.isNaN(at.getTime())) throw badInput(`${field} must be an ISO 8601 instant with its offset, e.g. "2026-12-01T00:00:00+05:30"`, field);
  if (at.getTime() > now.getTime()) throw badInput(`${field} is in the future; only what was collected before now can be remitted`, field);
  return at;
}

/** `Mutation.createRemittance`. */
export async function createRemittance(ctx: PaymentsContext, partnerIdGiven: string, periodEndGiven: string, idempotencyKey: string): Promise<RemittanceRow> {
  enforce(canRemit(ctx.viewer));
  const partnerId = checkPartnerId(partnerIdGiven, 'partnerId');
  const periodEnd = checkInstant(periodEndGiven, 'periodEnd', ctx.deps.now());
  const claim = ctx.idempotency.claim(ctx.viewer, idempotencyKey, 'createRemittance', { partnerId, periodEnd: periodEnd.toISOString() });
  return ctx.idempotency.run(claim, {
    write: async (tx) => {
      const now = ctx.deps.now();
      const collections = await tx.$queryRawUnsafe<{ articleNumber: string; amountPaise: number; feePaise: number; feeGstPaise: number }[]>(
        `SELECT article_number AS "articleNumber", amount_paise AS "amountPaise", fee_paise AS "feePaise", fee_gst_paise AS "feeGstPaise"
           FROM payments.cod_collection
          WHERE partner_id = $1 AND remittance_id IS NULL AND collected_at < $2::timestamptz
          ORDER BY article_number FOR UPDATE`,
        partnerId,
        periodEnd.toISOString(),
      );
      if (collections.length === 0) throw badInput(`Partner ${partnerId} has no unremitted COD collected before ${periodEnd.toISOString()}`, 'periodEnd');
      const amounts = remittanceAmounts(collections);
      if (amounts.netPaise < 0) {
        throw conflict(`The COD fees (${amounts.feesPaise + amounts.feeGstPaise} paise) exceed what was collected (${amounts.grossPaise} paise); settle this partner by hand`);
      }
      const id = newId('rem');
      await tx.remittance.create({
        data: { id, partnerId, periodEnd, ...amounts, status: 'CREATED', createdBy: principalOf(ctx.viewer), createdAt: now },
      });
      const taken = await tx.$executeRawUnsafe(
        `UPDATE payments.cod_collection SET remittance_id = $1 WHERE article_number = ANY($2::bpchar[]) AND remittance_id IS NULL`,
        id,
        collections.map((c) => c.articleNumber),
      );
      if (taken !== collections.length) throw new Error(`remittance ${id}: ${collections.length} collections locked, ${taken} taken`);
      await postTransactions(tx, [
        {
          kind: 'REMITTANCE',
          sourceKey: id,
          description: `Remittance ${id} of ${amounts.articleCount} COD articles to partner ${partnerId}`,
          occurredAt: now,
          remittanceId: id,
          entries: remittanceEntries(partnerId, amounts),
        },
      ]);
      return { remittanceId: id };
    },
    answer: async ({ remittanceId }) => (await ctx.prisma.remittance.findUnique({ where: { id: remittanceId } }))!,
  });
}

/** `Mutation.markRemittancePaid`. */
export async function markRemittancePaid(ctx: PaymentsContext, remittanceId: string, bankReferenceGiven: string, idempotencyKey: string): Promise<RemittanceRow> {
  enforce(canRemit(ctx.viewer));
  if (!REMITTANCE_ID.test(remittanceId)) throw badInput(`remittanceId must be a remittance id ("rem_" and 26 characters)`, 'remittanceId');
  const bankReference = bankReferenceGiven.trim();
  if (!BANK_REFERENCE.test(bankReference)) throw badInput('bankReference must be the bank\'s transfer reference (UTR): 6 to 35 letters and digits', 'bankReference');
  const claim = ctx.idempotency.claim(ctx.viewer, idempotencyKey, 'markRemittancePaid', { remittanceId, bankReference });
  return ctx.idempotency.run(claim, {
    write: async (tx) => {
      const now = ctx.deps.now();
      const locked = await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT id FROM payments.remittance WHERE id = $1 FOR UPDATE`, remittanceId);
      if (!locked.length) throw notFound(`No remittance has the id ${remittanceId}`);
      const remittance = (await tx.remittance.findUnique({ where: { id: remittanceId } }))!;
      if (remittance.status === 'PAID') throw conflict(`Remittance ${remittanceId} was already paid (bank reference ${remittance.bankReference})`);
      const paid = await tx.remittance.update({ where: { id: remittanceId }, data: { status: 'PAID', bankReference, paidAt: now } });
      if (paid.netPaise > 0n) {
        await postTransactions(tx, [
          {
            kind: 'REMITTANCE_PAID',
            sourceKey: remittanceId,
            description: `Remittance ${remittanceId} paid to partner ${paid.partnerId}, bank reference ${bankReference}`,
            occurredAt: now,
            remittanceId,
            entries: remittancePaidEntries(paid.partnerId, Number(paid.netPaise)),
          },
        ]);
      }
      // What each delivery office collected of it, for analytics' per-office COD remitted.
      const byOffice = await tx.$queryRawUnsafe<{ officeId: string; articleCount: number; amountPaise: number }[]>(
        `SELECT office_id AS "officeId", count(*)::int AS "articleCount", sum(amount_paise)::float8 AS "amountPaise"
           FROM payments.cod_collection WHERE remittance_id = $1 AND office_id IS NOT NULL GROUP BY office_id ORDER BY office_id`,
        remittanceId,
      );
      await recordPaymentEvents(tx, [codRemittedEvent(paid, byOffice)]);
      return { remittanceId };
    },
    answer: async ({ remittanceId: id }, replayed) => {
      if (!replayed) ctx.deps.eventsRecorded();
      return (await ctx.prisma.remittance.findUnique({ where: { id } }))!;
    },
  });
}

export interface CodBalanceView {
  articleCount: number;
  collectedPaise: number;
  deductionsPaise: number;
  remittablePaise: number;
  awaitingPayoutPaise: number;
}

/** `Partner.codBalance`: sums over the unremitted collections and the unpaid remittances (two indexed reads). */
export async function codBalanceOf(ctx: PaymentsContext, partnerId: string): Promise<CodBalanceView> {
  enforce(canReadPartnerCod(ctx.viewer, partnerId));
  const [row] = await ctx.prisma.$queryRawUnsafe<{ n: number; collected: string; deductions: string; awaiting: string }[]>(
    `SELECT count(*)::int AS n, coalesce(sum(amount_paise), 0)::text AS collected, coalesce(sum(fee_paise + fee_gst_paise), 0)::text AS deductions,
            (SELECT coalesce(sum(net_paise), 0) FROM payments.remittance WHERE partner_id = $1 AND status = 'CREATED')::text AS awaiting
       FROM payments.cod_collection WHERE partner_id = $1 AND remittance_id IS NULL`,
    partnerId,
  );
  const collectedPaise = Number(row?.collected ?? 0);
  const deductionsPaise = Number(row?.deductions ?? 0);
  return {
    articleCount: row?.n ?? 0,
    collectedPaise,
    deductionsPaise,
    remittablePaise: collectedPaise - deductionsPaise,
    awaitingPayoutPaise: Number(row?.awaiting ?? 0),
  };
}

/** `Partner.remittances`: newest first, keyset-paged on (created_at, id). */
export function remittancesOf(ctx: PaymentsContext, partnerId: string, args: PageArgs): Promise<ConnectionResult<RemittanceRow>> {
  enforce(canReadPartnerCod(ctx.viewer, partnerId));
  return keysetPage<RemittanceRow, { createdAt: Date; id: string }>(args, {
    cursorKind: 'remittance',
    keyOf: (r) => `${r.createdAt.toISOString()}|${r.id}`,
    parseKey: (key) => {
      const [at, id] = key.split('|');
      const createdAt = new Date(at ?? '');
      if (!id || Number.isNaN(createdAt.getTime())) throw badInput('"after" is not a cursor from this list', 'after');
      return { createdAt, id };
    },
    fetch: (after, limit) =>
      ctx.prisma.remittance.findMany({
        where: {
          partnerId,
          ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
      }),
    count: () => ctx.prisma.remittance.count({ where: { partnerId } }),
  });
}

/** `Remittance.items`: its collections by article number. */
export function remittanceItems(ctx: PaymentsContext, remittanceId: string, args: PageArgs): Promise<ConnectionResult<CodCollectionRow>> {
  return keysetPage<CodCollectionRow>(args, {
    cursorKind: 'remittance-item',
    keyOf: (c) => c.articleNumber,
    defaultSize: 100,
    fetch: (after, limit) =>
      ctx.prisma.codCollection.findMany({
        where: { remittanceId, ...(after ? { articleNumber: { gt: after } } : {}) },
        orderBy: { articleNumber: 'asc' },
        take: limit,
      }),
    count: () => ctx.prisma.codCollection.count({ where: { remittanceId } }),
  });
}
