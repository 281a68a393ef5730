import { AuthError, issueViewerToken, sessionFromToken, signToken, viewerFromToken, type Viewer } from '../src';

const secret = 'viewer-token-test-secret-0123456789abcdefgh';
const clerk: Viewer = {
  kind: 'STAFF', id: 'stf_1', role: 'COUNTER_CLERK', officeId: '110001-baroda-house',
  divisionId: 'delhi/new-delhi-central', partnerId: null, customerId: null,
};

describe('viewer tokens', () => {
  it('round-trips a member of staff and a customer', () => {
    expect(viewerFromToken(issueViewerToken(clerk, secret).token, secret)).toEqual(clerk);
    const customer: Viewer = { kind: 'CUSTOMER', id: 'cus_1', role: null, officeId: null, divisionId: null, partnerId: null, customerId: 'cus_1' };
    expect(viewerFromToken(issueViewerToken(customer, secret).token, secret)).toEqual(customer);
  });

  it('expires after a shift', () => {
    const issuedAt = Date.UTC(2026, 10, 25, 3, 0, 0);
    const { token, expiresAt } = issueViewerToken(clerk, secret, issuedAt);
    expect(expiresAt.toISOString()).toBe('2026-11-25T13:00:00.000Z');
    expect(() => viewerFromToken(token, secret, issuedAt + 11 * 3600 * 1000)).toThrow(AuthError);
  });

  it('refuses tokens that are not login tokens, and partners', () => {
    expect(() => viewerFromToken(signToken({ sub: 'x', kind: 'ROBOT' }, secret, { ttlSeconds: 60 }), secret)).toThrow(/not a dakgraph login token/);
    expect(() => viewerFromToken(signToken({ sub: 'x', kind: 'STAFF', role: 'KING' }, secret, { ttlSeconds: 60 }), secret)).toThrow(/no staff role/);
    expect(() => issueViewerToken({ ...clerk, kind: 'PARTNER', role: null, partnerId: 'p' }, secret)).toThrow(/Only staff and customers/);
  });
});

describe('session versions in login tokens', () => {
  const secret = 'viewer-token-session-secret-0123456789abcdef';
  const clerk: Viewer = {
    kind: 'STAFF', id: 'stf_1', role: 'COUNTER_CLERK', officeId: '110001-baroda-house',
    divisionId: 'delhi/new-delhi-central', partnerId: null, customerId: null,
  };

  it('carries the session version it was issued with', () => {
    expect(sessionFromToken(issueViewerToken(clerk, secret, Date.now(), 7).token, secret)).toEqual({ viewer: clerk, sessionVersion: 7 });
    expect(sessionFromToken(issueViewerToken(clerk, secret).token, secret).sessionVersion).toBe(0);
  });

  it('reads a token without one as version 0, and refuses a malformed one', () => {
    const old = signToken({ sub: 'stf_1', kind: 'STAFF', role: 'COUNTER_CLERK' }, secret, { ttlSeconds: 60 });
    expect(sessionFromToken(old, secret).sessionVersion).toBe(0);
    for (const sv of [-1, 1.5, '3', Number.MAX_SAFE_INTEGER + 2]) {
      const bad = signToken({ sub: 'stf_1', kind: 'STAFF', role: 'COUNTER_CLERK', sv }, secret, { ttlSeconds: 60 });
      expect(() => sessionFromToken(bad, secret)).toThrow(/session version/);
    }
  });
});
