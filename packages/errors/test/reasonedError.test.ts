import { ReasonedError } from '../src/index';

type ParcelReason = 'TOO_HEAVY' | 'NO_PINCODE';

class ParcelError extends ReasonedError<ParcelReason> {
  readonly field: string;

  constructor(reason: ParcelReason, field: string, message: string) {
    super(reason, message);
    this.field = field;
  }
}

class CustomsError extends ReasonedError<'UNDECLARED'> {}

describe('ReasonedError', () => {
  it('keeps the reason for programs and the message for people', () => {
    const error = new ParcelError('TOO_HEAVY', 'weightGrams', 'weightGrams must be 35000 or less; got 40000');
    expect(error.reason).toBe('TOO_HEAVY');
    expect(error.field).toBe('weightGrams');
    expect(error.message).toBe('weightGrams must be 35000 or less; got 40000');
  });

  it('is named after the subclass, in its name and its stack', () => {
    const error = new ParcelError('NO_PINCODE', 'pincode', 'pincode is required');
    expect(error.name).toBe('ParcelError');
    expect(String(error)).toBe('ParcelError: pincode is required');
    expect(error.stack).toMatch(/^ParcelError: pincode is required/);
  });

  it('is an instance of its own class, the base and Error, and not of a sibling', () => {
    const error = new ParcelError('TOO_HEAVY', 'weightGrams', 'too heavy');
    expect(error).toBeInstanceOf(ParcelError);
    expect(error).toBeInstanceOf(ReasonedError);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(CustomsError);
    expect(Object.getPrototypeOf(error)).toBe(ParcelError.prototype);
  });

  it('carries the cause it was given', () => {
    const cause = new RangeError('out of range');
    const error = new CustomsError('UNDECLARED', 'contents must be declared', { cause });
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('CustomsError');
  });
});
