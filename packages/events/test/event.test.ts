import { checkEventType, newEventId } from '../src';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newEventId', () => {
  it('is a UUIDv7 (RFC 9562) carrying the given time in its first 48 bits', () => {
    const at = new Date('2026-11-25T06:30:00.123Z');
    const id = newEventId(at);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at.getTime());
  });

  it('makes strictly increasing ids within one process, even within one millisecond', () => {
    const ids = Array.from({ length: 20_000 }, () => newEventId());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect([...ids].sort()).toEqual(ids);
  });

  it('orders ids made at different times by time', () => {
    const earlier = newEventId(new Date('2026-01-01T00:00:00Z'));
    const later = newEventId(new Date('2026-01-01T00:00:00.001Z'));
    expect(earlier < later).toBe(true);
  });

  it('refuses a time a UUIDv7 cannot hold', () => {
    expect(() => newEventId(new Date(-1))).toThrow();
    expect(() => newEventId(new Date(Number.NaN))).toThrow();
  });
});

describe('checkEventType', () => {
  it('accepts dotted types and refuses what would break a NATS subject', () => {
    expect(checkEventType('article.delivered')).toBe('article.delivered');
    for (const bad of ['', 'article.*', 'article.>', 'article..delivered', '.article', 'article delivered']) {
      expect(() => checkEventType(bad)).toThrow();
    }
  });
});
