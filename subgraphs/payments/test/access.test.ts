import type { Viewer } from '@dakgraph/auth';
import { canAskForPayments, canCreatePayment, canReadLedger, canReadPartnerCod, canReconcile, canRemit, canSeeCodCollection, canSeePayment, type PayableArticle } from '../src/access';

const viewer = (fields: Partial<Viewer>): Viewer => ({ kind: 'PUBLIC', id: null, role: null, officeId: null, divisionId: null, partnerId: null, customerId: null, ...fields });
const staff = (role: Viewer['role'], officeId: string | null = '400001-mumbai', divisionId: string | null = 'mumbai/mumbai-g-p-o') =>
  viewer({ kind: 'STAFF', id: `stf_${role}`, role, officeId, divisionId });
const PUBLIC = viewer({});
const CUSTOMER = viewer({ kind: 'CUSTOMER', id: 'cus_1', customerId: 'cus_1' });
const OTHER_CUSTOMER = viewer({ kind: 'CUSTOMER', id: 'cus_2', customerId: 'cus_2' });
const PARTNER = viewer({ kind: 'PARTNER', id: 'ptn_1', partnerId: 'ptn_1' });
const OTHER_PARTNER = viewer({ kind: 'PARTNER', id: 'ptn_2', partnerId: 'ptn_2' });
const ARTICLE: PayableArticle = { bookingOfficeId: '400001-mumbai', bookingDivisionId: 'mumbai/mumbai-g-p-o', partnerId: 'ptn_1', senderCustomerId: 'cus_1' };

const allowed = (decision: { allowed: boolean }) => decision.allowed;

describe('who may pay for an article', () => {
  it.each([
    ['the public', PUBLIC, 'UPI_QR', false],
    ['a clerk of the booking office, by UPI', staff('COUNTER_CLERK'), 'UPI_QR', true],
    ['a clerk of the booking office, in cash', staff('COUNTER_CLERK'), 'CASH', true],
    ['a clerk of another office', staff('COUNTER_CLERK', '400001-bazargate', 'mumbai/mumbai-south'), 'UPI_QR', false],
    ['a supervisor of the division', staff('SUPERVISOR', '400001-kalbadevi'), 'CASH', true],
    ['a supervisor of another division', staff('SUPERVISOR', '110001-janpath', 'delhi/new-delhi-central'), 'UPI_QR', false],
    ['an admin anywhere', staff('ADMIN', '110001-janpath', 'delhi/new-delhi-central'), 'UPI_QR', true],
    ['an admin without an office, in cash', staff('ADMIN', null, null), 'CASH', false],
    ['a postman', staff('POSTMAN'), 'UPI_QR', false],
    ['an analyst', staff('ANALYST'), 'UPI_QR', false],
    ['the sender, by UPI', CUSTOMER, 'UPI_QR', true],
    ['the sender, in cash', CUSTOMER, 'CASH', false],
    ['another customer', OTHER_CUSTOMER, 'UPI_QR', false],
    ['the booking partner, by UPI', PARTNER, 'UPI_QR', true],
    ['another partner', OTHER_PARTNER, 'UPI_QR', false],
  ] as const)('%s: %s', (_who, who, method, expected) => {
    expect(allowed(canCreatePayment(who, ARTICLE, method))).toBe(expected);
  });

  it('refuses before the article is looked up those who could pay for none', () => {
    expect(canAskForPayments(PUBLIC)).toMatchObject({ allowed: false, code: 'UNAUTHENTICATED' });
    expect(canAskForPayments(staff('POSTMAN'))).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
    expect(canAskForPayments(staff('ANALYST')).allowed).toBe(false);
    for (const who of [staff('COUNTER_CLERK'), CUSTOMER, PARTNER]) expect(canAskForPayments(who).allowed).toBe(true);
  });

  it('tells the public to log in and everyone else why not', () => {
    expect(canCreatePayment(PUBLIC, ARTICLE, 'UPI_QR')).toMatchObject({ allowed: false, code: 'UNAUTHENTICATED' });
    expect(canCreatePayment(OTHER_PARTNER, ARTICLE, 'UPI_QR')).toMatchObject({ allowed: false, code: 'FORBIDDEN', reason: expect.stringContaining('sender') });
  });
});

describe('who sees what', () => {
  const payment = { partnerId: 'ptn_1', createdBy: 'customer:cus_1' };
  it.each([
    [PUBLIC, false],
    [staff('COUNTER_CLERK'), true],
    [staff('ANALYST'), false],
    [staff('POSTMAN'), false],
    [PARTNER, true],
    [OTHER_PARTNER, false],
    [CUSTOMER, true],
    [OTHER_CUSTOMER, false],
  ])('a payment: %o sees it: %s', (who, expected) => expect(canSeePayment(who, payment)).toBe(expected));

  it.each([
    [staff('ANALYST'), true],
    [staff('POSTMAN'), false],
    [PARTNER, true],
    [OTHER_PARTNER, false],
    [CUSTOMER, false],
  ])('an article COD: %o sees it: %s', (who, expected) => expect(canSeeCodCollection(who, 'ptn_1')).toBe(expected));

  it.each([
    [PARTNER, true],
    [OTHER_PARTNER, false],
    [staff('ANALYST'), true],
    [staff('ADMIN'), true],
    [staff('SUPERVISOR'), false],
    [PUBLIC, false],
  ])("a partner's COD balance: %o reads it: %s", (who, expected) => expect(allowed(canReadPartnerCod(who, 'ptn_1'))).toBe(expected));

  it('remittances are for admins, the ledger for analysts and admins', () => {
    expect(allowed(canRemit(staff('ADMIN')))).toBe(true);
    expect(allowed(canRemit(staff('ANALYST')))).toBe(false);
    expect(allowed(canRemit(PARTNER))).toBe(false);
    expect(allowed(canReadLedger(staff('ANALYST')))).toBe(true);
    expect(allowed(canReadLedger(staff('SUPERVISOR')))).toBe(false);
  });

  it('supervisors reconcile one office of their own division; analysts and admins anything', () => {
    const supervisor = staff('SUPERVISOR');
    expect(allowed(canReconcile(supervisor, { named: true, divisionId: 'mumbai/mumbai-g-p-o' }))).toBe(true);
    expect(allowed(canReconcile(supervisor, { named: true, divisionId: 'mumbai/mumbai-south' }))).toBe(false);
    expect(allowed(canReconcile(supervisor, { named: true, divisionId: null }))).toBe(false);
    expect(canReconcile(supervisor, { named: false, divisionId: null })).toMatchObject({ allowed: false, reason: expect.stringContaining('officeId') });
    expect(allowed(canReconcile(staff('ANALYST'), { named: false, divisionId: null }))).toBe(true);
    expect(allowed(canReconcile(staff('COUNTER_CLERK'), { named: true, divisionId: 'mumbai/mumbai-g-p-o' }))).toBe(false);
    expect(canReconcile(PUBLIC, { named: false, divisionId: null })).toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
