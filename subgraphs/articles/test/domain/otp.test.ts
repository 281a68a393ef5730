import { endOfIstDay } from '../../src/domain/ist';
import {
  MAX_OTP_FAILURES,
  checkOtpSecret,
  deliveryOtpFor,
  isOtpFormat,
  needsDeliveryOtp,
  newOtpNonce,
  otpMatches,
  otpStillValid,
  otpValidUntil,
} from '../../src/domain/otp';

const SECRET = 'delivery-otp-test-secret-0123456789abcdef';
const NONCE = '000102030405060708090a0b0c0d0e0f';

describe('deriving a delivery OTP', () => {
  it('matches the vector computed once by hand (HMAC-SHA256, RFC 4226 truncation, six digits)', () => {
    // HMAC = 63e3468d...71f95b6f...261f; offset 0x1f & 0xf = 15; 0x5271f95b = 1383201115; mod 10^6.
    expect(deliveryOtpFor('EE123456785IN', '2026-11-25', NONCE, SECRET)).toBe('201115');
  });

  it('is six digits, zero-padded, and differs per nonce, day, article and secret', () => {
    const base = deliveryOtpFor('EE123456785IN', '2026-11-25', NONCE, SECRET);
    const others = [
      deliveryOtpFor('EE123456785IN', '2026-11-25', 'ffffffffffffffffffffffffffffffff', SECRET),
      deliveryOtpFor('EE123456785IN', '2026-11-26', NONCE, SECRET),
      deliveryOtpFor('EE000000014IN', '2026-11-25', NONCE, SECRET),
      deliveryOtpFor('EE123456785IN', '2026-11-25', NONCE, `${SECRET}-rotated`),
    ];
    for (const otp of [base, ...others]) expect(otp).toMatch(/^\d{6}$/);
    for (const other of others) expect(other).not.toBe(base);
    // Over many nonces the codes spread out and some begin with 0: the padding keeps them six digits.
    const codes = Array.from({ length: 300 }, () => deliveryOtpFor('EE123456785IN', '2026-11-25', newOtpNonce(), SECRET));
    expect(codes.every((code) => /^\d{6}$/.test(code))).toBe(true);
    expect(new Set(codes).size).toBeGreaterThan(290);
  });

  it('refuses a short secret, a malformed nonce and a malformed date, without echoing the secret', () => {
    expect(() => deliveryOtpFor('EE123456785IN', '2026-11-25', NONCE, 'short')).toThrow(/at least 32 bytes/);
    expect(() => checkOtpSecret(undefined)).toThrow(RangeError);
    expect(checkOtpSecret(SECRET)).toBe(SECRET);
    expect(() => deliveryOtpFor('EE123456785IN', '2026-11-25', 'abc', SECRET)).toThrow(/nonce/);
    expect(() => deliveryOtpFor('EE123456785IN', '25-11-2026', NONCE, SECRET)).toThrow(/YYYY-MM-DD/);
    try {
      deliveryOtpFor('EE123456785IN', '2026-11-25', NONCE, 'short');
    } catch (error) {
      expect(String(error)).not.toContain('short');
    }
  });

  it('makes 32 hex characters of fresh randomness per issue', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => newOtpNonce()));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('checking an OTP', () => {
  it('compares in constant time and answers false for another length or another code', () => {
    expect(otpMatches('201115', '201115')).toBe(true);
    expect(otpMatches('201116', '201115')).toBe(false);
    expect(otpMatches('20111', '201115')).toBe(false);
    expect(otpMatches('2011150', '201115')).toBe(false);
    expect(otpMatches('', '201115')).toBe(false);
  });

  it('knows the form of an OTP', () => {
    expect(isOtpFormat('012345')).toBe(true);
    for (const bad of ['12345', '1234567', '12345a', ' 123456', '١٢٣٤٥٦']) expect(isOtpFormat(bad)).toBe(false);
  });

  it('locks after five failures', () => {
    expect(MAX_OTP_FAILURES).toBe(5);
  });
});

describe('the end of the delivery day in IST', () => {
  it('is 23:59:59.999 IST, 18:29:59.999Z', () => {
    expect(endOfIstDay('2026-11-25').toISOString()).toBe('2026-11-25T18:29:59.999Z');
    expect(endOfIstDay('2026-12-31').toISOString()).toBe('2026-12-31T18:29:59.999Z');
    expect(otpValidUntil('2026-11-25')).toEqual(endOfIstDay('2026-11-25'));
  });

  it('keeps an OTP valid through the IST day and not a millisecond later', () => {
    expect(otpStillValid('2026-11-25', new Date('2026-11-24T18:30:00.000Z'))).toBe(true);
    expect(otpStillValid('2026-11-25', new Date('2026-11-25T18:29:59.999Z'))).toBe(true);
    expect(otpStillValid('2026-11-25', new Date('2026-11-25T18:30:00.000Z'))).toBe(false);
  });
});

describe('which articles need an OTP', () => {
  it('OTP delivery, cash on delivery and insurance do; others do not', () => {
    expect(needsDeliveryOtp({ codAmountPaise: null, services: ['OTP_DELIVERY'] })).toBe(true);
    expect(needsDeliveryOtp({ codAmountPaise: 50_000, services: [] })).toBe(true);
    expect(needsDeliveryOtp({ codAmountPaise: null, services: ['REGISTRATION', 'INSURANCE'] })).toBe(true);
    expect(needsDeliveryOtp({ codAmountPaise: null, services: ['REGISTRATION'] })).toBe(false);
    expect(needsDeliveryOtp({ codAmountPaise: 0, services: [] })).toBe(false);
  });
});
