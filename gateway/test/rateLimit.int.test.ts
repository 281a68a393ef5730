import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { MemoryRateLimiter, RedisRateLimiter, createRateLimiter, type RateLimitLogger } from '../src/rateLimit';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let current = start;
  return { now: () => current, advance: (ms) => (current += ms) };
}

async function hitTimes(limiter: { hit: MemoryRateLimiter['hit'] }, times: number, key: string, limit: number, windowSeconds: number) {
  const decisions = [];
  for (let i = 0; i < times; i += 1) decisions.push(await limiter.hit(key, limit, windowSeconds));
  return decisions;
}

describe('MemoryRateLimiter', () => {
  it('allows `limit` hits, refuses the next, and counts down remaining', async () => {
    const limiter = new MemoryRateLimiter({ now: manualClock().now });
    const decisions = await hitTimes(limiter, 4, '203.0.113.7', 3, 60);
    expect(decisions.map((decision) => [decision.allowed, decision.remaining])).toEqual([[true, 2], [true, 1], [true, 0], [false, 0]]);
    expect(decisions.every((decision) => decision.limit === 3)).toBe(true);
    expect(decisions[0]!.retryAfterSeconds).toBe(0);
  });

  it('tells a refused client how long until the window resets', async () => {
    const clock = manualClock();
    const limiter = new MemoryRateLimiter({ now: clock.now });
    await limiter.hit('client', 1, 60);
    expect((await limiter.hit('client', 1, 60)).retryAfterSeconds).toBe(60);
    clock.advance(10_500);
    expect((await limiter.hit('client', 1, 60)).retryAfterSeconds).toBe(50); // 49.5 s, rounded up
    clock.advance(49_400);
    expect((await limiter.hit('client', 1, 60)).retryAfterSeconds).toBe(1); // 0.1 s left: never "retry after 0"
  });

  it('recovers when the window ends, not before', async () => {
    const clock = manualClock();
    const limiter = new MemoryRateLimiter({ now: clock.now });
    await hitTimes(limiter, 3, 'client', 2, 10);
    clock.advance(9_999);
    expect((await limiter.hit('client', 2, 10)).allowed).toBe(false);
    clock.advance(1);
    expect(await limiter.hit('client', 2, 10)).toEqual({ allowed: true, limit: 2, remaining: 1, retryAfterSeconds: 0 });
  });

  it('keeps keys, and windows of the same key, independent', async () => {
    const limiter = new MemoryRateLimiter({ now: manualClock().now });
    await hitTimes(limiter, 2, 'a', 1, 60);
    expect((await limiter.hit('a', 1, 60)).allowed).toBe(false);
    expect((await limiter.hit('b', 1, 60)).allowed).toBe(true);
    expect((await limiter.hit('a', 1, 3600)).allowed).toBe(true);
  });

  it('holds at most maxKeys counters, however many clients appear', async () => {
    const limiter = new MemoryRateLimiter({ now: manualClock().now, maxKeys: 100 });
    for (let i = 0; i < 5_000; i += 1) await limiter.hit(`client-${i}`, 5, 60);
    expect(limiter.size).toBe(100);
    // The newest clients are still counted.
    expect((await limiter.hit('client-4999', 1, 60)).allowed).toBe(false);
  });

  it('evicts the oldest window when full of live ones', async () => {
    const limiter = new MemoryRateLimiter({ now: manualClock().now, maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) await limiter.hit(key, 1, 60);
    await limiter.hit('d', 1, 60); // evicts a
    expect((await limiter.hit('c', 1, 60)).allowed).toBe(false);
    expect((await limiter.hit('a', 1, 60)).allowed).toBe(true); // a fresh window; evicts b
    expect((await limiter.hit('d', 1, 60)).allowed).toBe(false);
    expect(limiter.size).toBe(3);
  });

  it('evicts expired windows before live ones', async () => {
    const clock = manualClock();
    const limiter = new MemoryRateLimiter({ now: clock.now, maxKeys: 2 });
    await limiter.hit('long', 1, 3600);
    await limiter.hit('short', 1, 1);
    clock.advance(2_000);
    await limiter.hit('new', 1, 60); // 'short' has expired, so it goes, not the older 'long'
    expect((await limiter.hit('long', 1, 3600)).allowed).toBe(false);
    expect(limiter.size).toBe(2);
  });

  it('peeks at a count without adding to it', async () => {
    const clock = manualClock();
    const limiter = new MemoryRateLimiter({ now: clock.now });
    expect(await limiter.peek('failures', 2, 60)).toEqual({ allowed: true, limit: 2, remaining: 2, retryAfterSeconds: 0 });
    await hitTimes(limiter, 2, 'failures', 2, 60);
    expect((await limiter.peek('failures', 2, 60)).allowed).toBe(true);
    await limiter.hit('failures', 2, 60);
    expect(await limiter.peek('failures', 2, 60)).toEqual({ allowed: false, limit: 2, remaining: 0, retryAfterSeconds: 60 });
    expect(await limiter.peek('failures', 2, 60)).toEqual({ allowed: false, limit: 2, remaining: 0, retryAfterSeconds: 60 });
    clock.advance(60_000);
    expect((await limiter.peek('failures', 2, 60)).allowed).toBe(true);
  });

  it('refuses nonsense limits as programming errors', async () => {
    const limiter = new MemoryRateLimiter();
    await expect(limiter.hit('k', 0, 60)).rejects.toThrow(RangeError);
    await expect(limiter.hit('k', 1.5, 60)).rejects.toThrow(RangeError);
    await expect(limiter.hit('k', 10, 0)).rejects.toThrow(RangeError);
    expect(() => new MemoryRateLimiter({ maxKeys: 0 })).toThrow(RangeError);
  });
});

describe('RedisRateLimiter against a real Redis', () => {
  // Unique per run, so concurrent runs and leftovers never share counters.
  const keyPrefix = `dakgraph:test:ratelimit:${randomUUID()}:`;
  const limiters: RedisRateLimiter[] = [];
  let inspector: Redis;
  const quietLogger = (): RateLimitLogger & { warn: jest.Mock } => ({ warn: jest.fn() });
  const newLimiter = (): RedisRateLimiter => {
    const limiter = new RedisRateLimiter(REDIS_URL, { keyPrefix, logger: quietLogger() });
    limiters.push(limiter);
    return limiter;
  };

  beforeAll(async () => {
    inspector = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    await inspector.ping(); // fails the suite loudly if there is no Redis to test against
  });

  afterAll(async () => {
    await Promise.all(limiters.map((limiter) => limiter.close()));
    const keys = await inspector.keys(`${keyPrefix}*`);
    if (keys.length > 0) await inspector.del(...keys);
    await inspector.quit();
  });

  it('allows `limit` hits, refuses the next with the time left, and sets an expiry', async () => {
    const limiter = newLimiter();
    const decisions = await hitTimes(limiter, 4, 'trips', 3, 60);
    expect(decisions.map((decision) => [decision.allowed, decision.remaining])).toEqual([[true, 2], [true, 1], [true, 0], [false, 0]]);
    expect(decisions[3]!.retryAfterSeconds).toBe(60);
    const ttl = await inspector.pttl(`${keyPrefix}60:trips`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('peeks at a count without adding to it', async () => {
    const limiter = newLimiter();
    expect((await limiter.peek('peeked', 1, 60)).allowed).toBe(true);
    await limiter.hit('peeked', 1, 60);
    expect((await limiter.peek('peeked', 1, 60)).allowed).toBe(true);
    await limiter.hit('peeked', 1, 60);
    const over = await limiter.peek('peeked', 1, 60);
    expect(over).toMatchObject({ allowed: false, limit: 1, remaining: 0 });
    expect(over.retryAfterSeconds).toBeGreaterThan(0);
    expect(await inspector.get(`${keyPrefix}60:peeked`)).toBe('2');
  });

  it('recovers after the window', async () => {
    const limiter = newLimiter();
    await hitTimes(limiter, 2, 'recovers', 2, 1);
    const refused = await limiter.hit('recovers', 2, 1);
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    await sleep(1_100);
    expect(await limiter.hit('recovers', 2, 1)).toEqual({ allowed: true, limit: 2, remaining: 1, retryAfterSeconds: 0 });
  });

  it('keeps keys independent', async () => {
    const limiter = newLimiter();
    await hitTimes(limiter, 2, 'independent-a', 1, 60);
    expect((await limiter.hit('independent-a', 1, 60)).allowed).toBe(false);
    expect((await limiter.hit('independent-b', 1, 60)).allowed).toBe(true);
    expect((await limiter.hit('independent-a', 1, 120)).allowed).toBe(true);
  });

  it('shares counts between limiter instances, as between gateway replicas', async () => {
    const [first, second] = [newLimiter(), newLimiter()];
    await first.hit('shared', 3, 60);
    await second.hit('shared', 3, 60);
    expect(await first.hit('shared', 3, 60)).toMatchObject({ allowed: true, remaining: 0 });
    expect((await second.hit('shared', 3, 60)).allowed).toBe(false);
  });

  it('counts exactly under concurrent hits (the script is atomic)', async () => {
    const [first, second] = [newLimiter(), newLimiter()];
    const decisions = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? first : second).hit('concurrent', 20, 60)));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(20);
  });

  it('restores the expiry of a counter that has none', async () => {
    await inspector.set(`${keyPrefix}60:immortal`, '100');
    const decision = await newLimiter().hit('immortal', 5, 60);
    expect(decision.allowed).toBe(false);
    expect(await inspector.pttl(`${keyPrefix}60:immortal`)).toBeGreaterThan(0);
  });
});

describe('RedisRateLimiter when Redis is unavailable', () => {
  it('fails open fast against an unreachable Redis, and warns once', async () => {
    const logger = { warn: jest.fn() };
    const limiter = new RedisRateLimiter('redis://:hunter2@127.0.0.1:1', { logger });
    try {
      for (let i = 0; i < 5; i += 1) {
        const started = performance.now();
        const decision = await limiter.hit('client', 1, 60);
        // Generous bound: proves no hang (ioredis' defaults would retry for many seconds) without timing flakes.
        expect(performance.now() - started).toBeLessThan(2_000);
        expect(decision).toEqual({ allowed: true, limit: 1, remaining: 1, retryAfterSeconds: 0 });
      }
      await sleep(300); // reconnect attempts keep failing meanwhile
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0]![0]).toMatch(/127\.0\.0\.1:1.*unavailable/);
      expect(logger.warn.mock.calls[0]![0]).not.toContain('hunter2');
    } finally {
      await limiter.close();
    }
  });

  describe('against a Redis that accepts connections but never answers', () => {
    let blackHole: Server;
    const sockets = new Set<Socket>();
    let port: number;

    beforeAll(async () => {
      blackHole = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
      port = (blackHole.address() as { port: number }).port;
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackHole.close(resolve));
    });

    it('never holds a request much past 200 ms, then skips Redis for a while', async () => {
      const logger = { warn: jest.fn() };
      const limiter = new RedisRateLimiter(`redis://127.0.0.1:${port}`, { logger });
      try {
        let started = performance.now(); // bounds are generous: they prove no hang, not speed
        expect((await limiter.hit('client', 1, 60)).allowed).toBe(true);
        expect(performance.now() - started).toBeLessThan(2_000);
        started = performance.now();
        expect((await limiter.hit('client', 1, 60)).allowed).toBe(true);
        expect(performance.now() - started).toBeLessThan(2_000);
        expect(logger.warn).toHaveBeenCalledTimes(1);
      } finally {
        await limiter.close();
      }
    });
  });
});

describe('createRateLimiter', () => {
  it('counts in memory without REDIS_URL', async () => {
    const limiter = createRateLimiter({});
    expect(limiter).toBeInstanceOf(MemoryRateLimiter);
    await limiter.close();
    const blank = createRateLimiter({ REDIS_URL: '  ' });
    expect(blank).toBeInstanceOf(MemoryRateLimiter);
    await blank.close();
  });

  it('counts in Redis when REDIS_URL is set', async () => {
    const limiter = createRateLimiter({ REDIS_URL });
    try {
      expect(limiter).toBeInstanceOf(RedisRateLimiter);
      expect((await limiter.hit(`create-${randomUUID()}`, 1, 1)).allowed).toBe(true);
    } finally {
      await limiter.close();
    }
  });
});
