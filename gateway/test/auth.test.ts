import { createServer, type IncomingMessage } from 'node:http';
import { issueViewerToken, type Viewer } from '@dakgraph/auth';
import { close, listen, sendJson } from '@dakgraph/graphql-kit';
import { createAuthenticator } from '../src/auth';

/**
 * The gateway's side of the customers subgraph's credential checks, against a stand-in that answers as
 * told (the real routes: gateway/test/customers.int.test.ts end to end).
 */
const secrets = { jwtSecret: 'auth-test-jwt-secret-0123456789abcdefghij', identitySecret: 'auth-test-identity-secret-0123456789abcdef' };
const clerk: Viewer = {
  kind: 'STAFF', id: 'stf_1', role: 'COUNTER_CLERK', officeId: '110001-baroda-house',
  divisionId: 'delhi/new-delhi-central', partnerId: null, customerId: null,
};
const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

async function customersAnswering(status: number, body: object) {
  let asked = 0;
  const server = createServer((req, res) => {
    asked += 1;
    req.resume();
    req.on('end', () => sendJson(res, status, body));
  });
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, asked: () => asked, close: () => close(server) };
}

describe('the gateway authenticator', () => {
  const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  afterAll(() => silenced.mockRestore());

  it('asks about a session once per cache period, and passes the viewer on', async () => {
    const customers = await customersAnswering(200, {});
    try {
      const authenticate = createAuthenticator({ ...secrets, customersUrl: customers.url, credentialCacheSeconds: 60 });
      const token = issueViewerToken(clerk, secrets.jwtSecret, Date.now(), 3).token;
      for (let i = 0; i < 3; i++) {
        await expect(authenticate(request({ authorization: `Bearer ${token}` }))).resolves.toEqual({ viewer: clerk, apiKeyPrefix: null });
      }
      expect(customers.asked()).toBe(1);
    } finally {
      await customers.close();
    }
  });

  it("refuses an ended session with the customers subgraph's reason", async () => {
    const customers = await customersAnswering(401, { error: 'This staff account is disabled; ask an administrator', reason: 'DISABLED' });
    try {
      const authenticate = createAuthenticator({ ...secrets, customersUrl: customers.url, credentialCacheSeconds: 60 });
      const token = issueViewerToken(clerk, secrets.jwtSecret).token;
      await expect(authenticate(request({ authorization: `Bearer ${token}` }))).rejects.toMatchObject({
        message: 'This staff account is disabled; ask an administrator',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    } finally {
      await customers.close();
    }
  });

  it('blames the deployment, not the caller, when the customers subgraph refuses the signature', async () => {
    const customers = await customersAnswering(401, { error: 'The internal call signature is missing or wrong', reason: 'BAD_SIGNATURE' });
    try {
      const authenticate = createAuthenticator({ ...secrets, customersUrl: customers.url, credentialCacheSeconds: 60 });
      const token = issueViewerToken(clerk, secrets.jwtSecret).token;
      await expect(authenticate(request({ authorization: `Bearer ${token}` }))).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
      await expect(authenticate(request({ 'x-api-key': `dgk_abcdefgh_${'s'.repeat(43)}` }))).rejects.toMatchObject({
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      });
      expect(silenced).toHaveBeenCalledWith(expect.stringMatching(/IDENTITY_SECRET/));
    } finally {
      await customers.close();
    }
  });

  it('treats an answer outside the route declaration as the service being unavailable, and logs why', async () => {
    // A customers subgraph that drifted: its key check no longer names the partner.
    const customers = await customersAnswering(200, { keyId: 'key_1', prefix: 'abcdefgh' });
    try {
      const authenticate = createAuthenticator({ ...secrets, customersUrl: customers.url, credentialCacheSeconds: 60 });
      await expect(authenticate(request({ 'x-api-key': `dgk_abcdefgh_${'s'.repeat(43)}` }))).rejects.toMatchObject({
        message: 'API keys cannot be checked right now; try again shortly',
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      });
      expect(silenced).toHaveBeenCalledWith(expect.stringMatching(/api-keys\/verify answered 200 with a body outside its declaration \(partnerId: /));
    } finally {
      await customers.close();
    }
  });

  it('checks only signature and expiry when the supergraph has no customers service', async () => {
    const authenticate = createAuthenticator({ ...secrets, customersUrl: null, credentialCacheSeconds: 5 });
    const token = issueViewerToken(clerk, secrets.jwtSecret).token;
    await expect(authenticate(request({ authorization: `Bearer ${token}` }))).resolves.toEqual({ viewer: clerk, apiKeyPrefix: null });
  });
});
