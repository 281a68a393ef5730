import { CUSTOMERS_INTERNAL_ROUTES, MAX_NAMED_CUSTOMERS, bookingPartiesRoute, partnerTermsSchema, sessionVerifyRoute } from '../src';

/** The declarations on their own; the customers subgraph's tests hold the real handlers to them. */
describe("the customers subgraph's internal route declarations", () => {
  it('gives every route its own path', () => {
    const paths = CUSTOMERS_INTERNAL_ROUTES.map((route) => route.path);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('lets a booking ask for customers alone once it has the terms, and bounds what it may name', () => {
    expect(bookingPartiesRoute.request.safeParse({ customerIds: ['cus_1'] }).success).toBe(true);
    expect(bookingPartiesRoute.request.safeParse({ partnerId: 'ptn_1', customerIds: [] }).success).toBe(true);
    expect(bookingPartiesRoute.request.safeParse({ partnerId: 'ptn_1' }).success).toBe(false);
    const tooMany = Array.from({ length: MAX_NAMED_CUSTOMERS + 1 }, (_, i) => `cus_${i}`);
    expect(bookingPartiesRoute.request.safeParse({ customerIds: tooMany }).success).toBe(false);
  });

  it('takes only whole session versions, as the tokens carry them', () => {
    expect(sessionVerifyRoute.request.safeParse({ kind: 'STAFF', id: 'stf_1', sessionVersion: 2 }).success).toBe(true);
    for (const sessionVersion of [-0.5, '1', Number.MAX_SAFE_INTEGER + 2]) {
      expect(sessionVerifyRoute.request.safeParse({ kind: 'STAFF', id: 'stf_1', sessionVersion }).success).toBe(false);
    }
  });

  it('refuses terms with a discount outside 0 to 10,000 basis points', () => {
    const terms = { partnerId: 'ptn_1', status: 'ACTIVE', discountBasisPoints: 750, codAllowed: true };
    expect(partnerTermsSchema.safeParse(terms).success).toBe(true);
    expect(partnerTermsSchema.safeParse({ ...terms, discountBasisPoints: 10_001 }).success).toBe(false);
    expect(partnerTermsSchema.safeParse({ ...terms, discountBasisPoints: 7.5 }).success).toBe(false);
  });
});
