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
