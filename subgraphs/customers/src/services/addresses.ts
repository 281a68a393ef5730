import { allFieldsHandled, badInput, conflict, notFound, refuse } from '@dakgraph/graphql-kit';
import { canManageAddresses, customerScope } from '../access';
import type { CreatedId, CustomersContext } from '../context';
import type { AddressRow, CustomerRow, CustomersTx, Prisma } from '../db';
import type { AddressInput } from '../__generated__/resolvers-types';
import { CUSTOMER_RULE, refusal } from './authorize';
import { newId } from './ids';
import * as check from './validation';

export const MAX_ADDRESSES_PER_CUSTOMER = 20;


/** The customer whose addresses the caller wants to change: NOT_FOUND if missing, FORBIDDEN if not theirs. */
async function customerToManage(ctx: CustomersContext, customerId: string): Promise<CustomerRow> {
  if (!customerScope(ctx.viewer)) refuse(refusal(ctx.viewer, 'Customer data', CUSTOMER_RULE));
  const customer = await ctx.loaders.customerById.load(customerId);
  if (!customer) throw notFound(`No customer has id "${customerId.slice(0, 64)}"`);
  if (!canManageAddresses(ctx.viewer, customer)) refuse(refusal(ctx.viewer, "This customer's addresses", CUSTOMER_RULE));
  return customer;
}

/** Serialises address changes of one customer (the 20-address limit and the single default need it). */
async function lockCustomer(tx: CustomersTx, customerId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM customers.customer WHERE id = ${customerId} FOR UPDATE`;
}

/** `Mutation.addAddress`. */
export async function addAddress(ctx: CustomersContext, customerId: string, input: AddressInput, key: string): Promise<AddressRow> {
  const customer = await customerToManage(ctx, customerId);
  const { label, name, phone, line1, line2, city, pincode, digipin, isDefault, ...unhandled } = input;
  allFieldsHandled(unhandled);
  const data = {
    customerId: customer.id,
    label: check.text(label, 'input.label', 50),
    name: check.text(name, 'input.name', 200),
    phone: check.indianMobile(phone, 'input.phone'),
    line1: check.text(line1, 'input.line1', 200),
    line2: check.optionalText(line2, 'input.line2', 200),
    city: check.text(city, 'input.city', 100),
    pincode: check.pincodeFormat(pincode, 'input.pincode'),
    digipin: check.digipin(digipin, 'input.digipin'),
  };
  const wantsDefault = isDefault === true;
  return ctx.idempotency.run(ctx.idempotency.claim(ctx.viewer, key, 'addAddress', { ...data, isDefault: wantsDefault }), {
    write: (tx) => insertAddress(tx, data, wantsDefault),
    answer: async ({ id }) => {
      ctx.loaders.addressesByCustomer.clear(customer.id);
      const address = (await ctx.loaders.addressesByCustomer.load(customer.id)).find((a) => a.id === id);
      if (!address) throw notFound('The address created with this idempotencyKey has since been removed');
      return address;
    },
  });
}

/** What addAddress stores, validated. */
type AddressData = Omit<Prisma.AddressUncheckedCreateInput, 'id' | 'isDefault'>;

/** Adds an address in the mutation's transaction; the first one, or one asked to be, becomes the default. */
async function insertAddress(tx: CustomersTx, data: AddressData, wantsDefault: boolean): Promise<CreatedId> {
  if (!(await tx.pincodeRef.findUnique({ where: { code: data.pincode } }))) {
    throw badInput(`Pincode ${data.pincode} is not in the post office directory; check it for a typing mistake`, 'input.pincode');
  }
  await lockCustomer(tx, data.customerId);
  const existing = await tx.address.count({ where: { customerId: data.customerId } });
  if (existing >= MAX_ADDRESSES_PER_CUSTOMER) {
    throw conflict(`A customer keeps at most ${MAX_ADDRESSES_PER_CUSTOMER} addresses; remove one first`);
  }
  const isDefault = wantsDefault || existing === 0;
  if (isDefault) await tx.address.updateMany({ where: { customerId: data.customerId, isDefault: true }, data: { isDefault: false } });
  return tx.address.create({ data: { id: newId('adr'), ...data, isDefault }, select: { id: true } });
}

/** `Mutation.removeAddress`: returns the customer, whose remaining newest address becomes the default if need be. */
export async function removeAddress(ctx: CustomersContext, id: string): Promise<CustomerRow> {
  // Someone who may not read any customer learns nothing, not even whether the address exists.
  if (!customerScope(ctx.viewer)) refuse(refusal(ctx.viewer, 'Customer data', CUSTOMER_RULE));
  const address = await ctx.prisma.address.findUnique({ where: { id } });
  if (!address) throw notFound(`No address has id "${id.slice(0, 64)}"`);
  const customer = await customerToManage(ctx, address.customerId);
  await ctx.prisma.$transaction(async (tx) => {
    await lockCustomer(tx, customer.id);
    const removed = await tx.address.deleteMany({ where: { id } });
    if (removed.count === 0 || !address.isDefault) return;
    const newest = await tx.address.findFirst({ where: { customerId: customer.id }, orderBy: { id: 'desc' } });
    if (newest) await tx.address.update({ where: { id: newest.id }, data: { isDefault: true } });
  });
  ctx.loaders.addressesByCustomer.clear(customer.id);
  return customer;
}
