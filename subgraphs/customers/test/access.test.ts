import { PUBLIC_VIEWER, type Viewer } from '@dakgraph/auth';
import {
  canAdministerPartners, canCreateCustomer, canCreateStaff, canManageAddresses, canManageApiKeys, canReadPartner,
  canManageWebhooks, canReadStaff, canReadWebhooks, canSeeColleague, canSeeOfficeStaff, canSeePersonalData, canManageStaffAccount,
  customerScope, mayCreateSomeStaff, readsEveryCustomer,
} from '../src/access';
import { OFFICES, customerAs, partnerAs, staffAs } from './support';

// Who is asking. Staff sit at real offices: Connaught Place and Baroda House share a division (New Delhi
// Central); Bazargate is in Mumbai South.
const viewers = {
  PUBLIC: PUBLIC_VIEWER as Viewer,
  CUSTOMER_SELF: customerAs('cus_self'),
  PARTNER_A: partnerAs('ptn_a'),
  PARTNER_B: partnerAs('ptn_b'),
  CLERK_CP: staffAs('COUNTER_CLERK', OFFICES.connaughtPlace, 'stf_clerk_cp'),
  POSTMAN_CP: staffAs('POSTMAN', OFFICES.connaughtPlace, 'stf_postman_cp'),
  ANALYST_CP: staffAs('ANALYST', OFFICES.connaughtPlace, 'stf_analyst_cp'),
  SUPERVISOR_CENTRAL: staffAs('SUPERVISOR', OFFICES.barodaHouse, 'stf_supervisor_bh'),
  SUPERVISOR_MUMBAI: staffAs('SUPERVISOR', OFFICES.bazargate, 'stf_supervisor_bg'),
  ADMIN: staffAs('ADMIN', OFFICES.bazargate, 'stf_admin'),
};
type ViewerName = keyof typeof viewers;
const ALL = Object.keys(viewers) as ViewerName[];
const COUNTER: ViewerName[] = ['CLERK_CP', 'SUPERVISOR_CENTRAL', 'SUPERVISOR_MUMBAI', 'ADMIN'];

// What is being done to what, and who (of the viewers above) may; everyone else must be refused.
const selfRegistered = { id: 'cus_self', partnerId: null };
const partnerAsCustomer = { id: 'cus_of_a', partnerId: 'ptn_a' };
const walkIn = { id: 'cus_walk_in', partnerId: null };
const clerkAtCp = { id: 'stf_clerk_cp', officeId: OFFICES.connaughtPlace.id, divisionId: OFFICES.connaughtPlace.divisionId };
const staffInMumbai = { id: 'stf_other_bg', officeId: OFFICES.bazargate.id, divisionId: OFFICES.bazargate.divisionId };

const cases: [action: string, ownership: string, rule: (viewer: Viewer) => boolean, allowed: ViewerName[]][] = [
  ['see personal data', 'a self-registered customer', (v) => canSeePersonalData(v, selfRegistered), ['CUSTOMER_SELF', ...COUNTER]],
  ['see personal data', "partner A's customer", (v) => canSeePersonalData(v, partnerAsCustomer), ['PARTNER_A', ...COUNTER]],
  ['see personal data', 'a walk-in customer', (v) => canSeePersonalData(v, walkIn), COUNTER],
  ['manage addresses', "partner A's customer", (v) => canManageAddresses(v, partnerAsCustomer), ['PARTNER_A', ...COUNTER]],
  ['manage addresses', 'a self-registered customer', (v) => canManageAddresses(v, selfRegistered), ['CUSTOMER_SELF', ...COUNTER]],
  ['read every customer', 'any customer', (v) => readsEveryCustomer(v), COUNTER],
  ['create a customer', 'none', (v) => canCreateCustomer(v), ['PARTNER_A', 'PARTNER_B', ...COUNTER]],
  ['read a partner', 'partner A', (v) => canReadPartner(v, 'ptn_a'), ['PARTNER_A', 'ADMIN']],
  ['manage API keys', 'partner A', (v) => canManageApiKeys(v, 'ptn_a'), ['PARTNER_A', 'ADMIN']],
  ['read webhook endpoints', 'partner A', (v) => canReadWebhooks(v, 'ptn_a'), ['PARTNER_A', 'ADMIN']],
  ['manage webhook endpoints', 'partner A', (v) => canManageWebhooks(v, 'ptn_a'), ['PARTNER_A']],
  ['administer partners', 'any partner', (v) => canAdministerPartners(v), ['ADMIN']],
  ['read a staff record', 'the clerk at Connaught Place', (v) => canReadStaff(v, clerkAtCp), ['CLERK_CP', 'SUPERVISOR_CENTRAL', 'ADMIN']],
  ['read a staff record', 'staff in Mumbai', (v) => canReadStaff(v, staffInMumbai), ['SUPERVISOR_MUMBAI', 'ADMIN']],
  ['see a colleague', 'the clerk at Connaught Place', (v) => canSeeColleague(v, clerkAtCp),
    ['CLERK_CP', 'POSTMAN_CP', 'ANALYST_CP', 'SUPERVISOR_CENTRAL', 'ADMIN']],
  ['list office staff', 'Connaught Place (own office)', (v) => canSeeOfficeStaff(v, OFFICES.connaughtPlace),
    ['CLERK_CP', 'POSTMAN_CP', 'ANALYST_CP', 'SUPERVISOR_CENTRAL', 'ADMIN']],
  ['list office staff', 'Baroda House (same division)', (v) => canSeeOfficeStaff(v, OFFICES.barodaHouse), ['SUPERVISOR_CENTRAL', 'ADMIN']],
  ['list office staff', 'Bazargate (Mumbai)', (v) => canSeeOfficeStaff(v, OFFICES.bazargate), ['SUPERVISOR_MUMBAI', 'ADMIN']],
  ['create staff at all', 'none', (v) => mayCreateSomeStaff(v), ['SUPERVISOR_CENTRAL', 'SUPERVISOR_MUMBAI', 'ADMIN']],
  ['create a counter clerk', 'at Connaught Place', (v) => canCreateStaff(v, 'COUNTER_CLERK', OFFICES.connaughtPlace), ['SUPERVISOR_CENTRAL', 'ADMIN']],
  ['create a postman', 'at Bazargate', (v) => canCreateStaff(v, 'POSTMAN', OFFICES.bazargate), ['SUPERVISOR_MUMBAI', 'ADMIN']],
  ['create a supervisor', 'at Connaught Place', (v) => canCreateStaff(v, 'SUPERVISOR', OFFICES.connaughtPlace), ['ADMIN']],
  ['create an analyst', 'at Connaught Place', (v) => canCreateStaff(v, 'ANALYST', OFFICES.connaughtPlace), ['ADMIN']],
  ['create an admin', 'at Bazargate', (v) => canCreateStaff(v, 'ADMIN', OFFICES.bazargate), ['ADMIN']],
  ['disable a counter clerk', 'at Connaught Place', (v) => canManageStaffAccount(v, { ...clerkAtCp, role: 'COUNTER_CLERK' }), ['SUPERVISOR_CENTRAL', 'ADMIN']],
  ['disable a supervisor', 'of New Delhi Central', (v) => canManageStaffAccount(v, { id: 'stf_supervisor_bh', officeId: OFFICES.barodaHouse.id, divisionId: OFFICES.barodaHouse.divisionId, role: 'SUPERVISOR' }), ['ADMIN']],
  ['disable an admin', 'themself', (v) => canManageStaffAccount(v, { id: 'stf_admin', officeId: OFFICES.bazargate.id, divisionId: OFFICES.bazargate.divisionId, role: 'ADMIN' }), []],
];

const table = cases.flatMap(([action, ownership, rule, allowed]) =>
  ALL.map((viewer) => [viewer, action, ownership, allowed.includes(viewer), rule] as const),
);

describe('the access rules', () => {
  it.each(table)('%s: %s (%s) → %p', (viewer, _action, _ownership, expected, rule) => {
    expect(rule(viewers[viewer])).toBe(expected);
  });

  it('scopes customer lists to what each viewer may read', () => {
    expect(customerScope(viewers.PUBLIC)).toBeNull();
    expect(customerScope(viewers.POSTMAN_CP)).toBeNull();
    expect(customerScope(viewers.ANALYST_CP)).toBeNull();
    expect(customerScope(viewers.CUSTOMER_SELF)).toEqual({ kind: 'SELF', customerId: 'cus_self' });
    expect(customerScope(viewers.PARTNER_A)).toEqual({ kind: 'PARTNER', partnerId: 'ptn_a' });
    for (const name of COUNTER) expect(customerScope(viewers[name])).toEqual({ kind: 'ALL' });
  });

  it('gives a supervisor without a division nothing of any division', () => {
    const adrift: Viewer = { ...viewers.SUPERVISOR_CENTRAL, divisionId: null };
    expect(canReadStaff(adrift, { ...clerkAtCp, divisionId: '' })).toBe(false);
    expect(canCreateStaff(adrift, 'POSTMAN', { id: 'x', divisionId: '' })).toBe(false);
    expect(canSeeOfficeStaff(adrift, OFFICES.connaughtPlace)).toBe(false);
  });

  it('never lets a partner see a customer that belongs to nobody, or another kind of viewer borrow its id', () => {
    expect(canSeePersonalData(viewers.PARTNER_A, { id: 'ptn_a', partnerId: null })).toBe(false);
    expect(canReadPartner(customerAs('ptn_a'), 'ptn_a')).toBe(false);
    expect(canManageWebhooks(customerAs('ptn_a'), 'ptn_a')).toBe(false);
    expect(canReadStaff(customerAs('stf_clerk_cp'), clerkAtCp)).toBe(false);
  });
});
