import { createServer } from 'node:http';
import { close, listen } from '@dakgraph/graphql-kit';
import { createPartnerTermsClient, partnerTermsUrl } from '../src/services/partnerTerms';
import { PARTNERS, TEST_IDENTITY_SECRET, startPartnerTermsDouble } from './support';

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
});
