import type { StaffUserResolvers } from '../__generated__/resolvers-types';
import { canReadStaff, canSeeColleague } from '../access';
import type { CustomersContext } from '../context';
import type { StaffUserRow } from '../db';
import { mayRead } from '../services/authorize';

const whole = <T>(staff: StaffUserRow, ctx: CustomersContext, value: () => T): T | null =>
  mayRead(ctx, (viewer) => canReadStaff(viewer, staff)) ? value() : null;
// Colleagues at one office see each other's name, role and office, not their email.
const listing = <T>(staff: StaffUserRow, ctx: CustomersContext, value: () => T): T | null =>
  mayRead(ctx, (viewer) => canSeeColleague(viewer, staff)) ? value() : null;

export const StaffUser: StaffUserResolvers = {
  __resolveReference: (reference, ctx) => ctx.loaders.staffById.load(reference.id),
  name: (staff, _, ctx) => listing(staff, ctx, () => staff.name),
  role: (staff, _, ctx) => listing(staff, ctx, () => staff.role),
  office: (staff, _, ctx) => listing(staff, ctx, () => ({ id: staff.officeId, divisionId: staff.divisionId })),
  email: (staff, _, ctx) => whole(staff, ctx, () => staff.email),
  createdAt: (staff, _, ctx) => whole(staff, ctx, () => staff.createdAt.toISOString()),
  active: (staff, _, ctx) => whole(staff, ctx, () => staff.disabledAt === null),
};
