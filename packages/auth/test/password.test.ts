import { CURRENT_SCRYPT_PARAMS, checkPasswordPolicy, hashPassword, needsRehash, verifyPassword } from '../src/index';

const PASSWORD = 'correct horse battery staple';

describe('hashPassword / verifyPassword', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hashPassword(PASSWORD);
  });

  it('writes the parameters, salt and hash into the stored string', () => {
    const [scheme, N, r, p, salt, hash, ...rest] = stored.split('$');
    expect(scheme).toBe('scrypt');
    expect([Number(N), Number(r), Number(p)]).toEqual([CURRENT_SCRYPT_PARAMS.N, CURRENT_SCRYPT_PARAMS.r, CURRENT_SCRYPT_PARAMS.p]);
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(hash!, 'base64url')).toHaveLength(32);
    expect(rest).toEqual([]);
  });

  it('never contains the password', () => {
    expect(stored).not.toContain(PASSWORD);
    expect(stored).not.toContain(Buffer.from(PASSWORD).toString('base64url'));
  });

  it('salts every hash, so the same password hashes differently', async () => {
    const again = await hashPassword(PASSWORD);
    expect(again).not.toBe(stored);
    await expect(verifyPassword(PASSWORD, again)).resolves.toBe(true);
  });

  it('accepts the right password and rejects others', async () => {
    await expect(verifyPassword(PASSWORD, stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapler', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('treats Unicode-equivalent spellings as the same password', async () => {
    const composed = 'पासवर्ड\u00e9cole-ऑफ़िस'; // é precomposed
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    await expect(verifyPassword(decomposed, await hashPassword(composed))).resolves.toBe(true);
  });

  it('returns false, never throws, for malformed stored values', async () => {
    const [, , , , salt, hash] = stored.split('$');
    const malformed: unknown[] = [
      '',
      'plaintext',
      `bcrypt$32768$8$1$${salt}$${hash}`,
      `scrypt$32768$8$1$${salt}`,
      `scrypt$32768$8$1$${salt}$${hash}$extra`,
      `scrypt$30000$8$1$${salt}$${hash}`, // N not a power of two
      `scrypt$1$8$1$${salt}$${hash}`,
      `scrypt$1048576$32$16$${salt}$${hash}`, // would need gigabytes
      `scrypt$32768$0$1$${salt}$${hash}`,
      `scrypt$32768$8$1$${salt}$${hash}!`,
      `scrypt$32768$8$1$$${hash}`,
      `scrypt$32768$8$1$${salt}$AAAA`, // hash too short to mean anything
      null,
      undefined,
      42,
    ];
    for (const value of malformed) {
      await expect(verifyPassword(PASSWORD, value as string)).resolves.toBe(false);
    }
    await expect(verifyPassword(undefined as unknown as string, stored)).resolves.toBe(false);
  });

  it('flags weaker or foreign hashes for rehashing', () => {
    const [, , r, p, salt, hash] = stored.split('$');
    expect(needsRehash(stored)).toBe(false);
    expect(needsRehash(`scrypt$16384$${r}$${p}$${salt}$${hash}`)).toBe(true);
    expect(needsRehash(`scrypt$65536$${r}$${p}$${salt}$${hash}`)).toBe(false);
    expect(needsRehash('$2b$10$abcdefghijklmnopqrstuv')).toBe(true);
    expect(needsRehash('')).toBe(true);
  });

  it('still verifies a hash made with older, weaker parameters', async () => {
    const [, , r, p, salt] = stored.split('$');
    const { scryptSync } = await import('node:crypto');
    const weakHash = scryptSync(PASSWORD, Buffer.from(salt!, 'base64url'), 32, { N: 1024, r: 8, p: 1 }).toString('base64url');
    const weak = `scrypt$1024$${r}$${p}$${salt}$${weakHash}`;
    await expect(verifyPassword(PASSWORD, weak)).resolves.toBe(true);
    expect(needsRehash(weak)).toBe(true);
  });
});

describe('checkPasswordPolicy', () => {
  it('accepts a long, ordinary passphrase', () => {
    expect(checkPasswordPolicy(PASSWORD)).toBeNull();
    expect(checkPasswordPolicy('डाकघर में पत्र भेजो')).toBeNull();
  });

  it('asks for at least 12 characters, counting characters not UTF-16 units', () => {
    expect(checkPasswordPolicy('short pass!')).toMatch(/at least 12 characters.*has 11/);
    expect(checkPasswordPolicy('😀'.repeat(6) + 'abcde')).toMatch(/at least 12/);
  });

  it('caps the length at 256', () => {
    expect(checkPasswordPolicy('ab'.repeat(128))).toBeNull();
    expect(checkPasswordPolicy('ab'.repeat(128) + 'c')).toMatch(/at most 256/);
  });

  it('refuses one repeated character', () => {
    expect(checkPasswordPolicy('a'.repeat(20))).toMatch(/more than one distinct character/);
  });

  it('refuses common passwords in any case', () => {
    expect(checkPasswordPolicy('Password@123')).toMatch(/commonly used/);
    expect(checkPasswordPolicy('123456789012')).toMatch(/commonly used/);
  });
});
