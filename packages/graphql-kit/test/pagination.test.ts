import { decodeCursor, encodeCursor, groupedInKeyOrder, inKeyOrder, pageSize, toConnection } from '../src';

describe('cursor pagination', () => {
  it('round-trips cursors and refuses ones from another list', () => {
    expect(decodeCursor('office', encodeCursor('office', '110001-baroda-house'))).toBe('110001-baroda-house');
    expect(decodeCursor('office', null)).toBeNull();
    expect(() => decodeCursor('office', encodeCursor('article', 'EE123456785IN'))).toThrow(/not a cursor from this list/);
    expect(() => decodeCursor('office', '%%%')).toThrow(/not a cursor/);
  });

  it('checks page sizes against the limit', () => {
    expect(pageSize(undefined, 20)).toBe(20);
    expect(pageSize(0, 20)).toBe(0);
    expect(() => pageSize(101, 20)).toThrow(/from 0 to 100/);
    expect(() => pageSize(-1, 20)).toThrow();
    expect(() => pageSize(2.5, 20)).toThrow();
  });

  it('uses the extra row only to tell whether another page follows', async () => {
    const page = toConnection([1, 2, 3], 2, String, async () => 7);
    expect(page.nodes).toEqual([1, 2]);
    expect(page.hasNextPage).toBe(true);
    expect(await page.totalCount()).toBe(7);
    expect(toConnection([1], 2, String, async () => 1).hasNextPage).toBe(false);
  });
});

describe('batch helpers', () => {
  it('answers in key order with nulls and empty groups', () => {
    const rows = [{ id: 'b', circle: 'x' }, { id: 'a', circle: 'y' }, { id: 'c', circle: 'x' }];
    expect(inKeyOrder(['a', 'z', 'b'], rows, (r) => r.id)).toEqual([rows[1], null, rows[0]]);
    expect(groupedInKeyOrder(['x', 'w'], rows, (r) => r.circle)).toEqual([[rows[0], rows[2]], []]);
  });
});

describe('idempotency helpers', () => {
  const { canonicalJson, checkIdempotencyKey, idempotencyPrincipal, requestFingerprint } = jest.requireActual('../src');
  it('treats null and absent fields, and key order, as the same request', () => {
    expect(canonicalJson({ b: 1, a: { d: null, c: [2, { f: undefined, e: 3 }] } })).toBe('{"a":{"c":[2,{"e":3}]},"b":1}');
    const secret = 's'.repeat(40);
    expect(requestFingerprint(secret, 'book', { a: 1, b: null })).toBe(requestFingerprint(secret, 'book', { a: 1 }));
    expect(requestFingerprint(secret, 'book', { a: 1 })).not.toBe(requestFingerprint(secret, 'book', { a: 2 }));
    expect(requestFingerprint(secret, 'book', { a: 1 })).not.toBe(requestFingerprint('t'.repeat(40), 'book', { a: 1 }));
  });

  it('scopes keys by caller and checks their shape', () => {
    expect(idempotencyPrincipal({ kind: 'PARTNER', id: 'ptn_1', partnerId: 'ptn_1', role: null, officeId: null, divisionId: null, customerId: null })).toBe('partner:ptn_1');
    expect(checkIdempotencyKey('order-0001')).toBe('order-0001');
    expect(() => checkIdempotencyKey('short')).toThrow(/8 to 128/);
    expect(() => checkIdempotencyKey('has a space in it')).toThrow();
  });
});
