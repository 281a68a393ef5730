import { EntityCache, publicMaxAge } from '../src/entityCache';

describe('publicMaxAge', () => {
  it.each([
    ['max-age=600, public', 600],
    ['public, max-age=5', 5],
    ['PUBLIC, MAX-AGE=60', 60],
    ['max-age=600, private', 0],
    ['max-age=600', 0],
    ['no-store', 0],
    ['public, max-age=60, no-cache', 0],
    ['public, max-age=-1', 0],
    ['public, max-age=1e3', 0],
    ['public', 0],
    ['', 0],
  ])('reads %j as %i seconds', (header, seconds) => {
    expect(publicMaxAge(header)).toBe(seconds);
  });
  it('treats no header as uncacheable', () => {
    expect(publicMaxAge(null)).toBe(0);
    expect(publicMaxAge(undefined)).toBe(0);
  });
});

describe('EntityCache', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('keeps an entity for its max-age and then forgets it', () => {
    const cache = new EntityCache(10, clock);
    cache.set('a', { name: 'Bhainsa S.O' }, 60);
    expect(cache.get('a')).toEqual({ name: 'Bhainsa S.O' });
    now += 59_999;
    expect(cache.get('a')).toEqual({ name: 'Bhainsa S.O' });
    now += 1;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect([cache.hits, cache.misses]).toEqual([2, 1]);
  });

  it('hands out copies, so what the gateway merges into an answer never changes the cache', () => {
    const cache = new EntityCache(10, clock);
    const entity = { name: 'Bhainsa S.O', circle: { id: 'telangana' } };
    cache.set('a', entity, 60);
    entity.name = 'changed after it was cached';
    const first = cache.get('a') as typeof entity;
    first.circle.id = 'merged into';
    expect(cache.get('a')).toEqual({ name: 'Bhainsa S.O', circle: { id: 'telangana' } });
  });

  it('evicts the least recently used beyond its size, and keeps nothing at size 0 or max-age 0', () => {
    const cache = new EntityCache(2, clock);
    cache.set('a', 1, 60);
    cache.set('b', 2, 60);
    cache.get('a');
    cache.set('c', 3, 60);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c')]).toEqual([1, 3]);
    cache.set('d', 4, 0);
    expect(cache.get('d')).toBeUndefined();
    const off = new EntityCache(0, clock);
    off.set('a', 1, 60);
    expect(off.get('a')).toBeUndefined();
    expect(() => new EntityCache(-1)).toThrow();
  });
});
