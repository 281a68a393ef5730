import { allFieldsHandled, keysetPage, notFound, type ConnectionResult, refuse } from '@dakgraph/graphql-kit';
import type { CreatePartnerInput, QueryPartnersArgs } from '../__generated__/resolvers-types';
import { canAdministerPartners, canReadPartner } from '../access';
import type { CreatedId, CustomersContext } from '../context';
import type { PartnerRow, Prisma } from '../db';
import { PARTNER_RULE, refusal } from './authorize';
import { newId } from './ids';
import * as check from './validation';

const CURSOR_KIND = 'partner';
/** Half the tariff: a larger discount is a mistake in the contract, not a deal. */
export const MAX_DISCOUNT_BASIS_POINTS = 5000;

const mayReadSomePartner = (ctx: CustomersContext) => ctx.viewer.kind === 'PARTNER' || canAdministerPartners(ctx.viewer);

/** `Query.partner`: admins and the partner itself; null when missing (for them), FORBIDDEN otherwise. */
export async function readPartner(ctx: CustomersContext, id: string): Promise<PartnerRow | null> {
  if (!mayReadSomePartner(ctx)) refuse(refusal(ctx.viewer, 'Partner records', PARTNER_RULE));
  if (!canReadPartner(ctx.viewer, id)) refuse(refusal(ctx.viewer, 'This partner', PARTNER_RULE));
  return ctx.loaders.partnerById.load(id);
}

/** `Query.partners`: every partner for admins, itself for a partner, oldest first. */
export async function listPartners(ctx: CustomersContext, args: QueryPartnersArgs): Promise<ConnectionResult<PartnerRow>> {
  if (!mayReadSomePartner(ctx)) refuse(refusal(ctx.viewer, 'Partner records', PARTNER_RULE));
  const where: Prisma.PartnerWhereInput = canAdministerPartners(ctx.viewer) ? {} : { id: ctx.viewer.partnerId! };
  return keysetPage(args, {
    cursorKind: CURSOR_KIND,
    keyOf: (partner) => partner.id,
    fetch: (afterId, limit) =>
      ctx.prisma.partner.findMany({ where: afterId ? { AND: [where, { id: { gt: afterId } }] } : where, orderBy: { id: 'asc' }, take: limit }),
    prime: (partner) => ctx.loaders.partnerById.prime(partner.id, partner),
    count: () => ctx.prisma.partner.count({ where }),
  });
}


const requireAdmin = (ctx: CustomersContext, what: string) => {
  if (!canAdministerPartners(ctx.viewer)) refuse(refusal(ctx.viewer, what, 'only admins manage partners'));
};

/** `Mutation.createPartner` (admins). */
export async function createPartner(ctx: CustomersContext, input: CreatePartnerInput, key: string): Promise<PartnerRow> {
  requireAdmin(ctx, 'Creating partners');
  const { name, contactEmail, discountBasisPoints, codAllowed, remittanceAccount, ...unhandled } = input;
  const { holder, accountNumber, ifsc, ...unhandledAccount } = remittanceAccount;
  allFieldsHandled({ ...unhandled, ...unhandledAccount });
  const data = {
    name: check.text(name, 'input.name', 200),
    contactEmail: check.email(contactEmail, 'input.contactEmail'),
    discountBasisPoints: check.integerIn(discountBasisPoints, 'input.discountBasisPoints', 0, MAX_DISCOUNT_BASIS_POINTS),
    codAllowed,
    remittanceAccountHolder: check.text(holder, 'input.remittanceAccount.holder', 200),
    remittanceAccountNumber: check.accountNumber(accountNumber, 'input.remittanceAccount.accountNumber'),
    remittanceIfsc: check.ifsc(ifsc, 'input.remittanceAccount.ifsc'),
  };
  return ctx.idempotency.run(ctx.idempotency.claim(ctx.viewer, key, 'createPartner', data), {
    write: (tx): Promise<CreatedId> => tx.partner.create({ data: { id: newId('ptn'), ...data }, select: { id: true } }),
    answer: async ({ id }) => (await ctx.loaders.partnerById.load(id))!,
  });
}

/** `Mutation.setPartnerStatus` (admins); suspending stops the partner's API keys at the next verification. */
export async function setPartnerStatus(ctx: CustomersContext, id: string, status: 'ACTIVE' | 'SUSPENDED'): Promise<PartnerRow> {
  requireAdmin(ctx, 'Changing a partner\'s status');
  const updated = await ctx.prisma.partner.updateMany({ where: { id }, data: { status } });
  if (updated.count === 0) throw notFound(`No partner has id "${id.slice(0, 64)}"`);
  ctx.loaders.partnerById.clear(id);
  return (await ctx.loaders.partnerById.load(id))!;
}
