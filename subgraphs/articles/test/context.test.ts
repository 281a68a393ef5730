import { createContext, type ArticlesDependencies } from '../src/context';
import type { ArticlesPrisma } from '../src/db';
import type { PartnerTerms } from '../src/services/partnerTerms';
import { CUSTOMER_B, PARTNERS, VIEWERS, partner } from './support';

/** Dependencies whose customers calls are counted; the loaders never run here, so no database is needed. */
function counted(terms: Record<string, PartnerTerms> = PARTNERS) {
  const asked = { terms: 0, parties: 0, owners: 0 };
  const deps: ArticlesDependencies = {
    identitySecret: 'unused',
    now: () => new Date(),
    eventsRecorded: () => undefined,
    deliveryOtpSecret: null,
    maxDeliveryAttempts: 3,
    maxHoldDays: 7,
    unpaidBookingHours: 24,
    partnerTerms: {
      termsOf: async (partnerId) => {
        asked.terms += 1;
        return terms[partnerId] ?? null;
      },
      bookingPartiesOf: async (partnerId, customerIds) => {
        asked.parties += 1;
        return { terms: terms[partnerId] ?? null, owners: new Map(customerIds.map((id) => [id, 'ptn_b'])) };
      },
    },
    customerOwners: {
      ownersOf: async (customerIds) => {
        asked.owners += 1;
        return new Map(customerIds.map((id) => [id, 'ptn_b']));
      },
    },
  };
  return { asked, deps };
}
const noDatabase = {} as ArticlesPrisma;

describe("a partner's booking parties in the request context", () => {
  it('asks customers once for the terms and the named customers, and the request keeps the terms', async () => {
    const { asked, deps } = counted();
    const ctx = createContext(noDatabase, partner('ptn_b'), deps);
    await expect(ctx.activePartnerBooking([CUSTOMER_B])).resolves.toEqual({ terms: PARTNERS.ptn_b, owners: new Map([[CUSTOMER_B, 'ptn_b']]) });
    await expect(ctx.activePartnerTerms()).resolves.toEqual(PARTNERS.ptn_b);
    expect(asked).toEqual({ terms: 0, parties: 1, owners: 0 });
  });

  it('asks only for the customers when the request already read the terms (a quote first)', async () => {
    const { asked, deps } = counted();
    const ctx = createContext(noDatabase, partner('ptn_b'), deps);
    await ctx.activePartnerTerms();
    await expect(ctx.activePartnerBooking([CUSTOMER_B])).resolves.toMatchObject({ terms: PARTNERS.ptn_b });
    expect(asked).toEqual({ terms: 1, parties: 0, owners: 1 });
  });

  it.each([
    ['a suspended partner', partner('ptn_suspended'), 'Partner ptn_suspended is SUSPENDED; its bookings are refused'],
    ['an unknown partner', partner('ptn_nobody'), 'Partner ptn_nobody is not known to the customers service, so it cannot book'],
    ['a counter clerk', VIEWERS.clerk, 'Only partners have contract terms'],
  ])('refuses %s with the same FORBIDDEN as activePartnerTerms', async (_case, viewer, message) => {
    const { deps } = counted();
    const booking = createContext(noDatabase, viewer, deps).activePartnerBooking([]);
    await expect(booking).rejects.toMatchObject({ message, extensions: { code: 'FORBIDDEN' } });
    await expect(createContext(noDatabase, viewer, deps).activePartnerTerms()).rejects.toMatchObject({ message, extensions: { code: 'FORBIDDEN' } });
  });
});
