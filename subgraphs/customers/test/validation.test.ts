import { accountNumber, email, gstin, gstinCheckCharacter, idempotencyKey, ifsc, indianMobile } from '../src/services/validation';
import { newId } from '../src/services/ids';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    return (error as { extensions?: { code?: string; field?: string } }).extensions;
  }
};

describe('input checks', () => {
  it.each([
    ['9876543210', '+919876543210'],
    ['+91 98765 43210', '+919876543210'],
    ['+91-98765-43210', '+919876543210'],
    ['09876543210', '+919876543210'],
    ['919876543210', '+919876543210'],
    ['(+91) 6000.000.000', '+916000000000'],
    ['9198765432', '+919198765432'],
  ])('normalises the mobile number %s to %s', (input, expected) => {
    expect(indianMobile(input, 'phone')).toBe(expected);
  });

  it.each(['5876543210', '987654321', '98765432100', '+92 9876543210', '+91 98765 4321x', '', '+910987654321'])(
    'refuses the mobile number %p naming the field',
    (input) => {
      expect(codeOf(() => indianMobile(input, 'input.phone'))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.phone' });
    },
  );

  it('accepts GSTINs with a correct check character only', () => {
    expect(gstin('27aapfu0939f1zv', 'gstin')).toBe('27AAPFU0939F1ZV');
    expect(gstinCheckCharacter('27AAPFU0939F1Z')).toBe('V');
    expect(codeOf(() => gstin('27AAPFU0939F1ZA', 'input.gstin'))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.gstin' });
    expect(codeOf(() => gstin('27AAPFU0939F1Y', 'input.gstin'))).toEqual({ code: 'BAD_USER_INPUT', field: 'input.gstin' });
  });

  it('checks IFSCs and account numbers', () => {
    expect(ifsc(' sbin0001234 ', 'ifsc')).toBe('SBIN0001234');
    expect(codeOf(() => ifsc('SBIN1001234', 'ifsc'))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(codeOf(() => ifsc('SBI00012345', 'ifsc'))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(accountNumber('1234 5678 9012', 'n')).toBe('123456789012');
    expect(codeOf(() => accountNumber('12345678', 'n'))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(codeOf(() => accountNumber('1234567890123456789', 'n'))).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('checks emails and idempotency keys', () => {
    expect(email('  Asha@Example.in ', 'e')).toBe('Asha@Example.in');
    expect(codeOf(() => email('asha@example', 'e'))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(idempotencyKey('0b9f6f0e-6a4e-4c1b-9d61-1f0b5b8f6e3a')).toBeTruthy();
    expect(codeOf(() => idempotencyKey('short'))).toEqual({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    expect(codeOf(() => idempotencyKey('x'.repeat(129)))).toEqual({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
  });

  it('makes prefixed ids that sort by creation time', () => {
    const first = newId('cus', 1_700_000_000_000);
    const second = newId('cus', 1_700_000_000_001);
    expect(first).toMatch(/^cus_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(first < second).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newId('key'))).size).toBe(1000);
  });
});
