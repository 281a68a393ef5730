import { secretsFromEnv, signInternalCall, verifyInternalCall } from '../src';

describe('deployment secrets', () => {
  it('reads both secrets, and says how to make missing ones', () => {
    expect(secretsFromEnv({ IDENTITY_SECRET: 'a'.repeat(40), JWT_SECRET: 'b'.repeat(40) })).toEqual({
      identitySecret: 'a'.repeat(40),
      jwtSecret: 'b'.repeat(40),
    });
    expect(() => secretsFromEnv({ JWT_SECRET: 'x' })).toThrow(/IDENTITY_SECRET must be set.*openssl rand/);
  });

  it('signs internal calls so that another body or secret does not verify', () => {
    const secret = 's'.repeat(48);
    const signature = signInternalCall(secret, '{"key":"dgk_abc"}');
    expect(verifyInternalCall(secret, '{"key":"dgk_abc"}', signature)).toBe(true);
    expect(verifyInternalCall(secret, '{"key":"dgk_abd"}', signature)).toBe(false);
    expect(verifyInternalCall('t'.repeat(48), '{"key":"dgk_abc"}', signature)).toBe(false);
    expect(verifyInternalCall(secret, '{"key":"dgk_abc"}', undefined)).toBe(false);
    expect(verifyInternalCall(secret, '{"key":"dgk_abc"}', 'short')).toBe(false);
  });
});
