import { hashPassword, type StaffRole, type Viewer } from '@dakgraph/auth';
import { allFieldsHandled, badInput, conflict, forbidden, refuse } from '@dakgraph/graphql-kit';
import type { CreateStaffUserInput } from '../__generated__/resolvers-types';
import { canCreateStaff, canReadStaff, mayCreateSomeStaff } from '../access';
import type { CreatedId, CustomersContext } from '../context';
import type { CustomersPrisma, CustomersTx, OfficeRefRow, StaffUserRow } from '../db';
import { STAFF_RULE, refusal } from './authorize';
import { newId } from './ids';
import * as check from './validation';

/** `Query.staffUser`: staff only; null when missing, FORBIDDEN when outside the caller's reach. */
export async function readStaff(ctx: CustomersContext, id: string): Promise<StaffUserRow | null> {
  if (ctx.viewer.kind !== 'STAFF') refuse(refusal(ctx.viewer, 'Staff records', STAFF_RULE));
  const staff = await ctx.loaders.staffById.load(id);
  if (staff && !canReadStaff(ctx.viewer, staff)) refuse(refusal(ctx.viewer, 'This staff record', STAFF_RULE));
  return staff;
}

/** The viewer a member of staff logs in as. */
export function staffViewer(staff: Pick<StaffUserRow, 'id' | 'role' | 'officeId' | 'divisionId'>): Viewer {
  return {
    kind: 'STAFF',
    id: staff.id,
    role: staff.role,
    officeId: staff.officeId,
    divisionId: staff.divisionId,
    partnerId: null,
    customerId: null,
  };
}

/** Whether a staff account already has this email, ignoring case. */
export async function staffEmailTaken(db: CustomersTx | CustomersPrisma, email: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM customers.staff_user WHERE lower(email) = lower(${email}) LIMIT 1`;
  return rows.length > 0;
}

/** The staff account with this email (any case), if there is one. */
export async function staffByEmail(db: CustomersTx | CustomersPrisma, email: string): Promise<StaffUserRow | null> {
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM customers.staff_user WHERE lower(email) = lower(${email}) LIMIT 1`;
  return rows[0] ? db.staffUser.findUnique({ where: { id: rows[0].id } }) : null;
}

export interface NewStaff {
  name: string;
  email: string;
  passwordHash: string;
  role: StaffRole;
  office: OfficeRefRow;
}

/**
 * Writes a staff account (the mutation and the create-admin command share it). The email must be free
 * among staff and among customers who log in, since login finds either by email.
 */
export async function insertStaff(tx: CustomersTx, staff: NewStaff): Promise<StaffUserRow> {
  if (await staffEmailTaken(tx, staff.email)) throw conflict('A staff account with this email already exists');
  const loginCustomer = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM customers.customer WHERE lower(email) = lower(${staff.email}) AND password_hash IS NOT NULL LIMIT 1`;
  if (loginCustomer.length) throw conflict('A customer account logs in with this email; use another email for the staff account');
  return tx.staffUser.create({
    data: {
      id: newId('stf'),
      name: staff.name,
      email: staff.email,
      passwordHash: staff.passwordHash,
      role: staff.role,
      officeId: staff.office.id,
      divisionId: staff.office.divisionId,
    },
  });
}

/** The office of a new account, from the directory copy; BAD_USER_INPUT when there is no such office. */
export async function officeForStaff(tx: CustomersTx | CustomersPrisma, officeId: string, field: string): Promise<OfficeRefRow> {
  const office = await tx.officeRef.findUnique({ where: { id: officeId } });
  if (!office) {
    throw badInput(`No post office has id "${officeId.slice(0, 64)}"; office ids look like "110001-new-delhi" (see Query.offices)`, field);
  }
  return office;
}


/** `Mutation.createStaffUser`: admins any role anywhere; supervisors clerks and postmen in their division. */
export async function createStaffUser(ctx: CustomersContext, input: CreateStaffUserInput, key: string): Promise<StaffUserRow> {
  if (!mayCreateSomeStaff(ctx.viewer)) {
    refuse(refusal(ctx.viewer, 'Creating staff accounts', 'admins create any staff account, supervisors counter clerks and postmen of their division'));
  }
  const { name, email, role, officeId, password: givenPassword, ...unhandled } = input;
  allFieldsHandled(unhandled);
  const data = {
    name: check.text(name, 'input.name', 200),
    email: check.email(email, 'input.email'),
    role,
    officeId: check.text(officeId, 'input.officeId', 200),
  };
  const password = check.newPassword(givenPassword, 'input.password');
  return ctx.idempotency.run(ctx.idempotency.claim(ctx.viewer, key, 'createStaffUser', { ...data, password }), {
    // Hashed before the transaction (it takes a while on purpose), and not at all for a retry.
    prepare: () => hashPassword(password),
    write: async (tx, passwordHash): Promise<CreatedId> => {
      const office = await officeForStaff(tx, data.officeId, 'input.officeId');
      if (!canCreateStaff(ctx.viewer, data.role, office)) {
        throw forbidden('Supervisors may create only counter clerks and postmen, at offices of their own division');
      }
      return { id: (await insertStaff(tx, { ...data, passwordHash, office })).id };
    },
    answer: async ({ id }) => (await ctx.loaders.staffById.load(id))!,
  });
}
