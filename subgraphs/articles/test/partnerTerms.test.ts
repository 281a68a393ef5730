import { createServer } from 'node:http';
import { close, listen } from '@dakgraph/graphql-kit';
import { createPartnerTermsClient, partnerTermsUrl } from '../src/services/partnerTerms';
import { CUSTOMER_A, CUSTOMER_B, PARTNERS, TEST_IDENTITY_SECRET, startPartnerTermsDouble } from './support';

describe('the partner terms client', () => {
  let double: Awaited<ReturnType<typeof startPartnerTermsDouble>>;
  beforeAll(async () => {
    double = await startPartnerTermsDouble(TEST_IDENTITY_SECRET);
  });
  afterAll(() => double.close());

  it('finds the route from a GraphQL endpoint or a base URL', () => {
    expect(partnerTermsUrl('http://127.0.0.1:4002/graphql')).toBe('http://127.0.0.1:4002/internal/partners/terms');
    expect(partnerTermsUrl('http://customers.internal/')).toBe('http://customers.internal/internal/partners/terms');
  });

  it("reads a partner's terms with a signed call, and null for an unknown partner", async () => {
    const client = createPartnerTermsClient({ customersUrl: double.url, identitySecret: TEST_IDENTITY_SECRET });
    await expect(client.termsOf('ptn_a')).resolves.toEqual(PARTNERS.ptn_a);
    await expect(client.termsOf('ptn_nobody')).resolves.toBeNull();
  });

  it('asks once for many concurrent bookings of one partner, and again once the terms are stale', async () => {
    let clock = 1_000_000;
    const now = jest.spyOn(Date, 'now').mockImplementation(() => clock);
    try {
      const client = createPartnerTermsClient({ customersUrl: double.url, identitySecret: TEST_IDENTITY_SECRET, cacheMs: 5_000 });
      const before = double.calls.length;
      const answers = await Promise.all(Array.from({ length: 20 }, () => client.termsOf('ptn_a')));
      expect(answers.every((terms) => terms?.partnerId === 'ptn_a')).toBe(true);
      expect(double.calls.length - before).toBe(1);
      clock += 4_999;
      await client.termsOf('ptn_a');
      expect(double.calls.length - before).toBe(1);
      clock += 2;
      await client.termsOf('ptn_a');
      expect(double.calls.length - before).toBe(2);
    } finally {
      now.mockRestore();
    }
  });

  it('keeps neither an unknown partner nor a failure: the next booking asks again', async () => {
    const client = createPartnerTermsClient({ customersUrl: double.url, identitySecret: TEST_IDENTITY_SECRET });
    const before = double.calls.length;
    await client.termsOf('ptn_nobody');
    await client.termsOf('ptn_nobody');
    expect(double.calls.length - before).toBe(2);
    const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const down = createPartnerTermsClient({ customersUrl: 'http://127.0.0.1:1', identitySecret: TEST_IDENTITY_SECRET, timeoutMs: 1_000 });
    try {
      await expect(down.termsOf('ptn_a')).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
      expect(silenced).toHaveBeenCalledTimes(1);
      await expect(down.termsOf('ptn_a')).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
      expect(silenced).toHaveBeenCalledTimes(2);
    } finally {
      silenced.mockRestore();
    }
  });

  it('is refused with the wrong secret, and says the service is unavailable', async () => {
    const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const client = createPartnerTermsClient({ customersUrl: double.url, identitySecret: 'another-secret-0123456789abcdef0123456789' });
    await expect(client.termsOf('ptn_a')).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(silenced).toHaveBeenCalledWith(expect.stringMatching(/answered 401/));
    silenced.mockRestore();
  });

  it('treats an unreachable service or a malformed answer as unavailable', async () => {
    const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const odd = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"partnerId":"ptn_a","status":"ACTIVE"}'));
    const port = await listen(odd, 0, '127.0.0.1');
    try {
      const malformed = createPartnerTermsClient({ customersUrl: `http://127.0.0.1:${port}`, identitySecret: TEST_IDENTITY_SECRET });
      await expect(malformed.termsOf('ptn_a')).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
      const down = createPartnerTermsClient({ customersUrl: 'http://127.0.0.1:1', identitySecret: TEST_IDENTITY_SECRET, timeoutMs: 1_000 });
      await expect(down.termsOf('ptn_a')).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    } finally {
      await close(odd);
      silenced.mockRestore();
    }
  });

  describe("a bulk booking's parties", () => {
    let clock = 1_000_000;
    let now: jest.SpyInstance;
    beforeEach(() => {
      now = jest.spyOn(Date, 'now').mockImplementation(() => clock);
    });
    afterEach(() => now.mockRestore());

    it('asks for the terms and the named customers in one call, then only for customers while the terms are kept', async () => {
      const client = createPartnerTermsClient({ customersUrl: double.url, identitySecret: TEST_IDENTITY_SECRET });
      const before = double.requests();
      await expect(client.bookingPartiesOf('ptn_b', [CUSTOMER_B, CUSTOMER_A, CUSTOMER_B, 'cus_nobody'])).resolves.toEqual({
        terms: PARTNERS.ptn_b,
        owners: new Map([[CUSTOMER_B, 'ptn_b'], [CUSTOMER_A, null]]),
      });
      expect(double.requests() - before).toBe(1);
      // Kept terms and no customer named: no call at all; a quote shares the same terms.
      await expect(client.bookingPartiesOf('ptn_b', [])).resolves.toEqual({ terms: PARTNERS.ptn_b, owners: new Map() });
      await expect(client.termsOf('ptn_b')).resolves.toEqual(PARTNERS.ptn_b);
      expect(double.requests() - before).toBe(1);
      // Kept terms and a named customer: one call, for the customer only.
      const asked = double.calls.length;
      await expect(client.bookingPartiesOf('ptn_b', [CUSTOMER_B])).resolves.toEqual({ terms: PARTNERS.ptn_b, owners: new Map([[CUSTOMER_B, 'ptn_b']]) });
      expect(double.requests() - before).toBe(2);
      expect(double.calls.length).toBe(asked);
    });

    it('takes a suspension into account once the kept terms are stale, and keeps neither an unknown partner nor a failure', async () => {
      const partners = { ...PARTNERS };
      const changing = await startPartnerTermsDouble(TEST_IDENTITY_SECRET, partners);
      try {
        const client = createPartnerTermsClient({ customersUrl: changing.url, identitySecret: TEST_IDENTITY_SECRET, cacheMs: 5_000 });
        expect((await client.bookingPartiesOf('ptn_a', [])).terms?.status).toBe('ACTIVE');
        partners.ptn_a = { ...PARTNERS.ptn_a!, status: 'SUSPENDED' };
        clock += 4_999;
        expect((await client.bookingPartiesOf('ptn_a', [])).terms?.status).toBe('ACTIVE');
        clock += 2;
        expect((await client.bookingPartiesOf('ptn_a', [])).terms?.status).toBe('SUSPENDED');

        const before = changing.requests();
        await expect(client.bookingPartiesOf('ptn_nobody', [])).resolves.toEqual({ terms: null, owners: new Map() });
        await client.bookingPartiesOf('ptn_nobody', []);
        expect(changing.requests() - before).toBe(2);
      } finally {
        await changing.close();
      }
    });

    it("reports a failure as the contract's when it asked for the terms, else as the customer records'", async () => {
      const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      const down = createPartnerTermsClient({ customersUrl: 'http://127.0.0.1:1', identitySecret: TEST_IDENTITY_SECRET, timeoutMs: 1_000 });
      const wrongSecret = createPartnerTermsClient({ customersUrl: double.url, identitySecret: 'another-secret-0123456789abcdef0123456789' });
      try {
        await expect(down.bookingPartiesOf('ptn_a', [CUSTOMER_A])).rejects.toMatchObject({
          message: "The partner's contract cannot be read right now; try again shortly",
          extensions: { code: 'SERVICE_UNAVAILABLE' },
        });
        await expect(down.bookingPartiesOf('ptn_a', [])).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
        expect(silenced).toHaveBeenCalledTimes(2);
        await expect(wrongSecret.bookingPartiesOf('ptn_a', [])).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
        expect(silenced).toHaveBeenLastCalledWith(expect.stringMatching(/bookings\/parties answered 401/));

        // The terms are kept; then customers goes away, and only the customer records were asked for.
        const goingAway = await startPartnerTermsDouble(TEST_IDENTITY_SECRET);
        const client = createPartnerTermsClient({ customersUrl: goingAway.url, identitySecret: TEST_IDENTITY_SECRET, timeoutMs: 1_000 });
        await client.termsOf('ptn_a');
        await goingAway.close();
        await expect(client.bookingPartiesOf('ptn_a', [CUSTOMER_A])).rejects.toMatchObject({
          message: 'Customer records cannot be checked right now; try again shortly',
          extensions: { code: 'SERVICE_UNAVAILABLE' },
        });
      } finally {
        silenced.mockRestore();
      }
    });
  });
});
