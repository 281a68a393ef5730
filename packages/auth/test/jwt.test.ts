import { createHmac } from 'node:crypto';
import { AuthError, signToken, verifyToken } from '../src/index';
import { reasonOf, rejection } from './rejection';

const SECRET = 'k'.repeat(32);
const OTHER_SECRET = 'o'.repeat(32);
const NOW = Date.parse('2026-11-25T09:00:00Z');
const HOUR = 3600;

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const hs256 = (signingInput: string, secret = SECRET): string => createHmac('sha256', secret).update(signingInput).digest('base64url');

/** A token built by hand, to test what signToken itself would never produce. */
function craft(header: unknown, payload: unknown, secret = SECRET): string {
  const signingInput = `${b64(header)}.${b64(payload)}`;
  return `${signingInput}.${hs256(signingInput, secret)}`;
}

const validClaims = { iss: 'dakgraph', sub: 'staff-1', iat: NOW / 1000, exp: NOW / 1000 + HOUR, jti: 'abc' };

describe('signToken / verifyToken', () => {
  it('round-trips the subject and application claims, adding iss, iat, exp and jti', () => {
    const token = signToken({ sub: 'staff-42', role: 'SUPERVISOR', officeId: 'BO-110001' }, SECRET, { ttlSeconds: HOUR, now: NOW });
    const claims = verifyToken(token, SECRET, { now: NOW + 1000 });
    expect(claims).toMatchObject({ sub: 'staff-42', role: 'SUPERVISOR', officeId: 'BO-110001', iss: 'dakgraph', iat: NOW / 1000, exp: NOW / 1000 + HOUR });
    expect(claims.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it('gives every token a fresh jti', () => {
    const a = verifyToken(signToken({ sub: 'u' }, SECRET, { ttlSeconds: 60 }), SECRET);
    const b = verifyToken(signToken({ sub: 'u' }, SECRET, { ttlSeconds: 60 }), SECRET);
    expect(a.jti).not.toBe(b.jti);
  });

  it('refuses a tampered payload', () => {
    const token = signToken({ sub: 'customer-1' }, SECRET, { ttlSeconds: HOUR, now: NOW });
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = `${header}.${b64({ ...claims, sub: 'admin-1' })}.${signature}`;
    expect(reasonOf(() => verifyToken(forged, SECRET, { now: NOW }))).toBe('BAD_SIGNATURE');
  });

  it('refuses a tampered or missing signature', () => {
    const token = signToken({ sub: 'customer-1' }, SECRET, { ttlSeconds: HOUR, now: NOW });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    expect(reasonOf(() => verifyToken(`${header}.${payload}.${flipped}`, SECRET, { now: NOW }))).toBe('BAD_SIGNATURE');
    expect(reasonOf(() => verifyToken(`${header}.${payload}.`, SECRET, { now: NOW }))).toBe('BAD_SIGNATURE');
    expect(reasonOf(() => verifyToken(`${header}.${payload}.${signature}A`, SECRET, { now: NOW }))).toBe('BAD_SIGNATURE');
  });

  it('refuses a token signed with another secret', () => {
    const token = signToken({ sub: 'u' }, OTHER_SECRET, { ttlSeconds: HOUR, now: NOW });
    const error = rejection(() => verifyToken(token, SECRET, { now: NOW }));
    expect(error.reason).toBe('BAD_SIGNATURE');
    expect(error.name).toBe('AuthError');
  });

  it('expires after ttl plus the clock skew, saying when and what to do', () => {
    const token = signToken({ sub: 'u' }, SECRET, { ttlSeconds: HOUR, now: Date.parse('2026-11-25T09:00:00Z') });
    expect(verifyToken(token, SECRET, { now: Date.parse('2026-11-25T10:00:29Z') }).sub).toBe('u');
    const error = rejection(() => verifyToken(token, SECRET, { now: Date.parse('2026-11-25T10:00:30Z') }));
    expect(error.reason).toBe('EXPIRED');
    expect(error.message).toBe('The token expired at 2026-11-25T10:00:00Z; log in again');
    expect(reasonOf(() => verifyToken(token, SECRET, { now: Date.parse('2026-11-25T10:00:01Z'), clockSkewSeconds: 0 }))).toBe('EXPIRED');
  });

  it('is not yet valid when issued (or nbf) beyond the skew in the future', () => {
    const token = signToken({ sub: 'u' }, SECRET, { ttlSeconds: HOUR, now: NOW });
    expect(verifyToken(token, SECRET, { now: NOW - 30_000 }).sub).toBe('u');
    const error = rejection(() => verifyToken(token, SECRET, { now: NOW - 31_000 }));
    expect(error.reason).toBe('NOT_YET_VALID');
    expect(error.message).toContain('2026-11-25T09:00:00Z');

    const later = craft({ alg: 'HS256' }, { ...validClaims, nbf: NOW / 1000 + 600 });
    expect(reasonOf(() => verifyToken(later, SECRET, { now: NOW }))).toBe('NOT_YET_VALID');
    expect(verifyToken(later, SECRET, { now: NOW + 600_000 }).sub).toBe('staff-1');
  });

  it('refuses alg "none", RS256 and any other algorithm, even with a valid HMAC', () => {
    const payload = b64(validClaims);
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    expect(reasonOf(() => verifyToken(none, SECRET, { now: NOW }))).toBe('UNSUPPORTED_ALGORITHM');
    for (const alg of ['none', 'None', 'RS256', 'HS512', 'hs256', undefined, 256]) {
      const error = rejection(() => verifyToken(craft({ alg, typ: 'JWT' }, validClaims), SECRET, { now: NOW }));
      expect(error.reason).toBe('UNSUPPORTED_ALGORITHM');
      expect(error.message).toMatch(/only HS256/);
    }
  });

  it('refuses critical header extensions', () => {
    expect(reasonOf(() => verifyToken(craft({ alg: 'HS256', crit: ['b64'], b64: false }, validClaims), SECRET, { now: NOW }))).toBe('MALFORMED');
  });

  it('refuses another issuer', () => {
    const error = rejection(() => verifyToken(craft({ alg: 'HS256' }, { ...validClaims, iss: 'evil' }), SECRET, { now: NOW }));
    expect(error.reason).toBe('WRONG_ISSUER');
    expect(error.message).toContain('"evil"');
    expect(reasonOf(() => verifyToken(craft({ alg: 'HS256' }, { ...validClaims, iss: undefined }), SECRET, { now: NOW }))).toBe('WRONG_ISSUER');
  });

  it('calls structurally broken tokens MALFORMED', () => {
    const token = signToken({ sub: 'u' }, SECRET, { ttlSeconds: HOUR, now: NOW });
    const cases = [
      '',
      'abc',
      'a.b',
      `${token}.extra`,
      `!!!.${token.split('.')[1]}.${token.split('.')[2]}`,
      `${b64('not json')}.${b64(validClaims)}.x`,
      `${b64([1, 2])}.${b64(validClaims)}.x`,
      'x'.repeat(9000),
      undefined,
    ];
    for (const text of cases) expect(reasonOf(() => verifyToken(text as string, SECRET, { now: NOW }))).toBe('MALFORMED');
  });

  it('calls validly signed payloads without the registered claims MALFORMED', () => {
    const { sub: _sub, ...noSubject } = validClaims;
    const { exp: _exp, ...noExpiry } = validClaims;
    for (const payload of [noSubject, noExpiry, { ...validClaims, exp: '2026-12-01' }, { ...validClaims, jti: 5 }, { ...validClaims, sub: '' }, { ...validClaims, nbf: 'soon' }]) {
      expect(reasonOf(() => verifyToken(craft({ alg: 'HS256' }, payload), SECRET, { now: NOW }))).toBe('MALFORMED');
    }
    expect(reasonOf(() => verifyToken(`${b64({ alg: 'HS256' })}.${b64('[]')}.${hs256(`${b64({ alg: 'HS256' })}.${b64('[]')}`)}`, SECRET, { now: NOW }))).toBe('MALFORMED');
  });

  it('refuses secrets shorter than 32 bytes at sign and verify, as a configuration error', () => {
    const token = signToken({ sub: 'u' }, SECRET, { ttlSeconds: HOUR });
    for (const weak of ['', 'secret', 'k'.repeat(31)]) {
      expect(() => signToken({ sub: 'u' }, weak, { ttlSeconds: HOUR })).toThrow(/at least 32/);
      let thrown: unknown;
      try {
        verifyToken(token, weak);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Error);
      expect(thrown).not.toBeInstanceOf(AuthError);
    }
    // Counted in bytes: 11 three-byte Devanagari letters are 33 bytes.
    expect(() => signToken({ sub: 'u' }, 'क'.repeat(11), { ttlSeconds: HOUR })).not.toThrow();
  });

  it('refuses to sign reserved claims, an empty subject or a bad ttl', () => {
    expect(() => signToken({ sub: 'u', exp: 1 }, SECRET, { ttlSeconds: HOUR })).toThrow(/"exp"/);
    expect(() => signToken({ sub: 'u', iss: 'x' }, SECRET, { ttlSeconds: HOUR })).toThrow(/"iss"/);
    expect(() => signToken({ sub: '' }, SECRET, { ttlSeconds: HOUR })).toThrow(/sub/);
    expect(() => signToken({ sub: 'u' }, SECRET, { ttlSeconds: 0 })).toThrow(/ttlSeconds/);
    expect(() => signToken({ sub: 'u' }, SECRET, { ttlSeconds: 1.5 })).toThrow(/ttlSeconds/);
  });
});
