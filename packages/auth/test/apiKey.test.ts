import { createHash } from 'node:crypto';
import { apiKeyMatches, generateApiKey, hashApiKey, parseApiKey } from '../src/index';

describe('partner API keys', () => {
  it('generates dgk_<prefix>_<secret> with a public base32 prefix and a 256-bit secret', () => {
    const { key, prefix, hash } = generateApiKey();
    expect(prefix).toMatch(/^[a-z2-7]{8}$/);
    expect(key.startsWith(`dgk_${prefix}_`)).toBe(true);
    const secret = key.slice(`dgk_${prefix}_`.length);
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(hash).toBe(hashApiKey(key));
  });

  it('never repeats a key or a prefix in practice', () => {
    const keys = Array.from({ length: 500 }, () => generateApiKey());
    expect(new Set(keys.map((generated) => generated.key)).size).toBe(500);
    expect(new Set(keys.map((generated) => generated.prefix)).size).toBe(500);
  });

  it('parses the prefix back out of every generated key', () => {
    for (let i = 0; i < 200; i += 1) {
      const { key, prefix } = generateApiKey();
      expect(parseApiKey(key)).toEqual({ prefix });
    }
  });

  it('parses a key whose secret contains underscores', () => {
    const key = `dgk_abcdefgh_${'_'.repeat(10)}${'a'.repeat(33)}`;
    expect(parseApiKey(key)).toEqual({ prefix: 'abcdefgh' });
  });

  it('returns null for text that is not a dakgraph key', () => {
    const { key } = generateApiKey();
    for (const text of ['', 'dgk_', key.slice(0, -1), `${key}x`, key.replace('dgk_', 'sk_'), key.toUpperCase(), `dgk_ABCDEFGH_${key.slice(13)}`, `dgk_abcdefg1_${key.slice(13)}`, ` ${key}`, null, 7]) {
      expect(parseApiKey(text as string)).toBeNull();
    }
  });

  it('hashes with SHA-256 of the whole key, stably', () => {
    const key = 'dgk_abcdefgh_' + 'A'.repeat(43);
    expect(hashApiKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches only the right key against a stored hash', () => {
    const { key, hash } = generateApiKey();
    const other = generateApiKey();
    expect(apiKeyMatches(key, hash)).toBe(true);
    expect(apiKeyMatches(other.key, hash)).toBe(false);
    expect(apiKeyMatches(key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A'), hash)).toBe(false);
  });

  it('goes through the constant-time comparison, and returns false for malformed stored hashes', () => {
    const crypto = jest.requireActual<typeof import('node:crypto')>('node:crypto');
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    const { key, hash } = generateApiKey();
    try {
      expect(apiKeyMatches(key, hash)).toBe(true);
      expect(apiKeyMatches(key, hash.replace(/^./, (c) => (c === '0' ? '1' : '0')))).toBe(false);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
    for (const stored of ['', hash.toUpperCase(), hash.slice(1), `${hash}0`, 'z'.repeat(64), null]) {
      expect(apiKeyMatches(key, stored as string)).toBe(false);
    }
  });
});
