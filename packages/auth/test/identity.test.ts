import { createHmac } from 'node:crypto';
import { IDENTITY_HEADER, PUBLIC_VIEWER, signIdentity, verifyIdentity, type Viewer } from '../src/index';
import { reasonOf, rejection } from './rejection';

const SECRET = 's'.repeat(40);
const NOW = Date.parse('2026-11-25T09:00:00Z');

const clerk: Viewer = {
  kind: 'STAFF',
  id: 'staff-7',
  role: 'COUNTER_CLERK',
  officeId: 'HO-110001',
  divisionId: 'DIV-DELHI-N',
  partnerId: null,
  customerId: null,
};

/** Signs any payload in the v1 wire format, to show verifyIdentity checks shape after the signature. */
function signRaw(payload: unknown, secret = SECRET): string {
  const signingInput = `v1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

describe('identity header', () => {
  it('is named x-dakgraph-identity', () => {
    expect(IDENTITY_HEADER).toBe('x-dakgraph-identity');
  });

  it('round-trips every kind of viewer', () => {
    const viewers: Viewer[] = [
      PUBLIC_VIEWER,
      clerk,
      { ...PUBLIC_VIEWER, kind: 'CUSTOMER', id: 'cust-1', customerId: 'cust-1' },
      { ...PUBLIC_VIEWER, kind: 'PARTNER', id: 'partner-1', partnerId: 'partner-1' },
      { ...clerk, role: 'ADMIN', officeId: null, divisionId: null },
    ];
    for (const viewer of viewers) {
      const header = signIdentity(viewer, SECRET, NOW);
      expect(header).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
      expect(verifyIdentity(header, SECRET, { now: NOW + 1000 })).toEqual(viewer);
    }
  });

  it('signs only the Viewer fields of a richer object', () => {
    const row = { ...clerk, passwordHash: 'scrypt$...' } as Viewer;
    const header = signIdentity(row, SECRET, NOW);
    expect(Buffer.from(header.split('.')[1]!, 'base64url').toString()).not.toContain('passwordHash');
    expect(verifyIdentity(header, SECRET, { now: NOW })).toEqual(clerk);
  });

  it('is MISSING when absent, so a direct call to a subgraph is refused', () => {
    const error = rejection(() => verifyIdentity(undefined, SECRET));
    expect(error.reason).toBe('MISSING');
    expect(error.message).toContain('x-dakgraph-identity');
    expect(reasonOf(() => verifyIdentity('', SECRET))).toBe('MISSING');
  });

  it('refuses a tampered payload', () => {
    const [version, , signature] = signIdentity(PUBLIC_VIEWER, SECRET, NOW).split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...clerk, role: 'ADMIN', iat: NOW / 1000 })).toString('base64url');
    expect(reasonOf(() => verifyIdentity(`${version}.${forgedPayload}.${signature}`, SECRET, { now: NOW }))).toBe('BAD_SIGNATURE');
  });

  it('refuses a tampered signature or another secret', () => {
    const header = signIdentity(clerk, SECRET, NOW);
    const last = header.at(-2) === 'A' ? 'B' : 'A';
    expect(reasonOf(() => verifyIdentity(`${header.slice(0, -2)}${last}${header.slice(-1)}`, SECRET, { now: NOW }))).toBe('BAD_SIGNATURE');
    expect(reasonOf(() => verifyIdentity(signIdentity(clerk, 'x'.repeat(32), NOW), SECRET, { now: NOW }))).toBe('BAD_SIGNATURE');
  });

  it('expires after maxAgeSeconds (300 by default)', () => {
    const header = signIdentity(clerk, SECRET, NOW);
    expect(verifyIdentity(header, SECRET, { now: NOW + 300_000 })).toEqual(clerk);
    const error = rejection(() => verifyIdentity(header, SECRET, { now: NOW + 301_000 }));
    expect(error.reason).toBe('EXPIRED');
    expect(error.message).toContain('2026-11-25T09:05:00Z');
    expect(reasonOf(() => verifyIdentity(header, SECRET, { now: NOW + 11_000, maxAgeSeconds: 10 }))).toBe('EXPIRED');
  });

  it('refuses a header stamped well in the future', () => {
    const header = signIdentity(clerk, SECRET, NOW + 120_000);
    expect(verifyIdentity(signIdentity(clerk, SECRET, NOW + 20_000), SECRET, { now: NOW })).toEqual(clerk);
    expect(reasonOf(() => verifyIdentity(header, SECRET, { now: NOW }))).toBe('NOT_YET_VALID');
  });

  it('calls a header in the wrong format MALFORMED', () => {
    const header = signIdentity(clerk, SECRET, NOW);
    for (const text of ['v1', 'v1.abc', `v2${header.slice(2)}`, `${header}.x`, 'Bearer abc', 'x'.repeat(5000)]) {
      expect(reasonOf(() => verifyIdentity(text, SECRET, { now: NOW }))).toBe('MALFORMED');
    }
  });

  it('calls a validly signed payload of the wrong shape MALFORMED', () => {
    const iat = NOW / 1000;
    const payloads: unknown[] = [
      'a string',
      [clerk],
      { ...clerk }, // no iat
      { ...clerk, iat: String(iat) },
      { ...clerk, iat, kind: 'ROOT' },
      { ...clerk, iat, role: 'GOD' },
      { ...clerk, iat, role: 'admin' },
      { ...clerk, iat, id: 42 },
      { ...clerk, iat, id: '' },
      { ...clerk, iat, officeId: { $ne: null } },
      { ...clerk, iat, isSuperuser: true },
      (({ divisionId: _omitted, ...rest }) => ({ ...rest, iat }))(clerk),
      { ...clerk, iat, role: null }, // staff without a role
      { ...PUBLIC_VIEWER, iat, id: 'someone' }, // public with an id
      { ...PUBLIC_VIEWER, iat, kind: 'CUSTOMER', role: 'ADMIN', customerId: 'c' }, // role outside STAFF
      { ...PUBLIC_VIEWER, iat, kind: 'PARTNER' }, // partner without partnerId
    ];
    for (const payload of payloads) {
      expect(reasonOf(() => verifyIdentity(signRaw(payload), SECRET, { now: NOW }))).toBe('MALFORMED');
    }
    // A well-formed payload signed the same way passes, so the cases above fail for their shape alone.
    expect(verifyIdentity(signRaw({ ...clerk, iat }), SECRET, { now: NOW })).toEqual(clerk);
  });

  it('refuses to sign an invalid viewer or with a short secret', () => {
    expect(() => signIdentity({ ...clerk, role: null }, SECRET)).toThrow(/STAFF viewer needs an id and a role/);
    expect(() => signIdentity({ ...clerk, kind: 'ROOT' } as unknown as Viewer, SECRET)).toThrow(/kind/);
    expect(() => signIdentity(clerk, 'short')).toThrow(/at least 32/);
    expect(() => verifyIdentity(signIdentity(clerk, SECRET), 'short')).toThrow(/at least 32/);
  });

  it('exposes a frozen PUBLIC_VIEWER', () => {
    expect(Object.isFrozen(PUBLIC_VIEWER)).toBe(true);
    expect(PUBLIC_VIEWER).toEqual({ kind: 'PUBLIC', id: null, role: null, officeId: null, divisionId: null, partnerId: null, customerId: null });
  });
});
