import { allFieldsHandled } from '../src';

/** An input as codegen types it: every field optional and nullable but the required ones. */
type OfficeFilterLike = { pincode?: string | null; district?: string | null; state: string };

describe('allFieldsHandled', () => {
  it('compiles and passes when a service destructured every field', () => {
    const handle = (filter: OfficeFilterLike) => {
      const { pincode, district, state, ...unhandled } = filter;
      allFieldsHandled(unhandled);
      return [pincode, district, state];
    };
    expect(handle({ pincode: '110001', state: 'Delhi' })).toEqual(['110001', undefined, 'Delhi']);
  });

  it('does not compile when a field of the input is left over (the schema grew a field the service ignores)', () => {
    const handle = (filter: OfficeFilterLike) => {
      const { pincode, state, ...unhandled } = filter;
      // @ts-expect-error `district` is not handled: this line is the compile error a drifted service gets
      allFieldsHandled(unhandled);
      return [pincode, state];
    };
    // At run time (Jest does not type-check) a value in a left-over field is refused too.
    expect(() => handle({ pincode: '110001', district: 'New Delhi', state: 'Delhi' })).toThrow('Input fields no service handles: district');
    expect(handle({ pincode: '110001', state: 'Delhi' })).toEqual(['110001', 'Delhi']);
  });
});
