import { Redis } from 'ioredis';

/** The outcome of counting one request against a limit. */
export interface RateLimitDecision {
  /** Whether the request may proceed. */
  allowed: boolean;
  /** The limit it was counted against (for a RateLimit-Limit header). */
  limit: number;
  /** Requests left in the current window, never negative. */
  remaining: number;
  /** Seconds until the window resets when refused (for Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

/**
 * Counts requests per key (a client IP, an API key prefix, a viewer id) in fixed windows. Each
 * (key, windowSeconds) pair has its own counter, so one client can carry a per-minute and a per-hour
 * limit side by side; two limits sharing a key and window share a count.
 */
export interface RateLimiter {
  /** Counts one request for `key` and decides on it; `limit` requests are allowed per window. */
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision>;
  /**
   * The decision the last hit of `key` got, without counting one: whether the window's count is still
   * within `limit` (an unknown or expired key is). For limits counted on some outcome (failed logins)
   * and checked before the work that may fail.
   */
  peek(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision>;
  /** Releases connections and memory, at shutdown. */
  close(): Promise<void>;
}

/** Where a limiter reports that it cannot count (and is letting everything through). */
export interface RateLimitLogger {
  warn(message: string): void;
}

// Window algorithm, for both limiters: a fixed window per counter, starting at the counter's first
// hit. Rejected alternatives: a sliding log (an entry per request, so memory grows with the very
// flood being limited) and a sliding two-window estimate (two keys read per hit for a modest gain).
// The cost accepted: across a window boundary a client can get up to twice the limit, which is fine
// for abuse limits set well above legitimate use. Windows starting at first hit, not on the clock,
// means clients do not all reset, and retry, at the same instant.

function assertPolicy(limit: number, windowSeconds: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`rate limit must be a positive whole number; got ${limit}`);
  if (!Number.isFinite(windowSeconds) || windowSeconds <= 0) throw new RangeError(`rate limit window must be a positive number of seconds; got ${windowSeconds}`);
}

function decide(count: number, limit: number, msUntilReset: number): RateLimitDecision {
  const allowed = count <= limit;
  return {
    allowed,
    limit,
    remaining: Math.max(0, limit - count),
    // At least 1: "Retry-After: 0" on a refusal invites an immediate, equally refused, retry.
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(msUntilReset / 1000)),
  };
}

/** Let the request through without having counted it: how limiters fail. */
function uncounted(limit: number): RateLimitDecision {
  return { allowed: true, limit, remaining: limit, retryAfterSeconds: 0 };
}

interface WindowCounter {
  count: number;
  /** When the window ends, in the limiter's clock (ms). */
  resetsAt: number;
}

// Expired counters looked at per eviction: enough to reclaim dead windows in bulk, few enough that
// a hit never walks the whole map.
const EVICTION_SCAN = 1000;

/**
 * Counts in this process's memory: for development, tests and single-instance deployments (each
 * gateway replica counts separately, so use RedisRateLimiter behind a load balancer). Memory is
 * bounded: past `maxKeys` counters (default 100 000), expired counters go first, then the oldest
 * windows; an evicted client simply starts a fresh window, the same trade a restart makes.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counters = new Map<string, WindowCounter>();
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(options: { now?: () => number; maxKeys?: number } = {}) {
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? 100_000;
    if (!Number.isInteger(this.maxKeys) || this.maxKeys < 1) throw new RangeError(`maxKeys must be a positive whole number; got ${this.maxKeys}`);
  }

  /** Counters currently held, for metrics and tests. */
  get size(): number {
    return this.counters.size;
  }

  /** Counts one request for `key`; see RateLimiter.hit. */
  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    assertPolicy(limit, windowSeconds);
    const now = this.now();
    const counterKey = `${windowSeconds}:${key}`;
    let counter = this.counters.get(counterKey);
    if (counter && counter.resetsAt <= now) {
      // Delete rather than reset in place, so the Map's insertion order stays the order windows began.
      this.counters.delete(counterKey);
      counter = undefined;
    }
    if (!counter) {
      this.makeRoom(now);
      counter = { count: 0, resetsAt: now + windowSeconds * 1000 };
      this.counters.set(counterKey, counter);
    }
    counter.count += 1;
    return decide(counter.count, limit, counter.resetsAt - now);
  }

  /** See RateLimiter.peek. */
  async peek(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    assertPolicy(limit, windowSeconds);
    const now = this.now();
    const counter = this.counters.get(`${windowSeconds}:${key}`);
    if (!counter || counter.resetsAt <= now) return uncounted(limit);
    return decide(counter.count, limit, counter.resetsAt - now);
  }

  /** Forgets every counter. */
  async close(): Promise<void> {
    this.counters.clear();
  }

  private makeRoom(now: number): void {
    if (this.counters.size < this.maxKeys) return;
    let scanned = 0;
    for (const [counterKey, counter] of this.counters) {
      if (counter.resetsAt <= now) this.counters.delete(counterKey);
      if (++scanned >= EVICTION_SCAN) break;
    }
    // Still full of live windows (a flood of distinct keys): drop the oldest, first in insertion order.
    for (const counterKey of this.counters.keys()) {
      if (this.counters.size < this.maxKeys) break;
      this.counters.delete(counterKey);
    }
  }
}

// One atomic round trip: count, start the window on the first hit, and report the time left. The
// TTL is also restored if a counter somehow has none, so no counter can refuse a client forever.
// Time comes from Redis, so gateway replicas with drifting clocks still agree on the window.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`;

// The count and time left, counting nothing; a key that does not exist has count 0.
const PEEK_SCRIPT = `
local count = redis.call('GET', KEYS[1])
if not count then return { 0, 0 } end
return { tonumber(count), redis.call('PTTL', KEYS[1]) }
`;

interface RateLimitCommands {
  dakgraphRateLimitHit(counterKey: string, windowMs: number): Promise<[number, number]>;
  dakgraphRateLimitPeek(counterKey: string): Promise<[number, number]>;
}

/** Longest a hit waits on Redis before letting the request through uncounted. */
const COMMAND_TIMEOUT_MS = 200;
// After a failure, skip Redis for this long: while it is down or slow, only one request per second
// pays the timeout, the rest go through at once.
const BYPASS_AFTER_FAILURE_MS = 1000;
const WARNING_INTERVAL_MS = 60_000;

/** Options for RedisRateLimiter. */
export interface RedisRateLimiterOptions {
  /** Prepended to every counter key (`<keyPrefix><windowSeconds>:<key>`); default "dakgraph:ratelimit:". */
  keyPrefix?: string;
  /** Where "Redis is unavailable" warnings go, at most once a minute; console by default. */
  logger?: RateLimitLogger;
}

/** The URL without credentials, fit for a log line. */
function redactUrl(redisUrl: string): string {
  try {
    const url = new URL(redisUrl);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return '(unparseable REDIS_URL)';
  }
}

/**
 * Counts in Redis, shared by every gateway replica. Fails open: when Redis is unreachable or slow,
 * requests are allowed uncounted (an outage of the limiter must not become an outage of the API),
 * a warning is logged at most once a minute, and no hit waits longer than about 200 ms.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private readonly commands: RateLimitCommands;
  private readonly keyPrefix: string;
  private readonly logger: RateLimitLogger;
  private readonly safeUrl: string;
  private bypassUntil = 0;
  private lastWarnedAt = -Infinity;
  private closed = false;

  constructor(redisUrl: string, options: RedisRateLimiterOptions = {}) {
    this.keyPrefix = options.keyPrefix ?? 'dakgraph:ratelimit:';
    this.logger = options.logger ?? console;
    this.safeUrl = redactUrl(redisUrl);
    this.redis = new Redis(redisUrl, {
      connectTimeout: 1000,
      // Bounds every command, including ones queued while (re)connecting.
      commandTimeout: COMMAND_TIMEOUT_MS,
      // A count that missed its moment is worthless; never replay it after a reconnect.
      maxRetriesPerRequest: 0,
      // A limiter has nothing worth waiting for at shutdown; ioredis would otherwise keep a dead
      // socket's timer alive for 2 s after close().
      disconnectTimeout: 200,
    });
    this.redis.defineCommand('dakgraphRateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.redis.defineCommand('dakgraphRateLimitPeek', { numberOfKeys: 1, lua: PEEK_SCRIPT });
    this.commands = this.redis as unknown as RateLimitCommands;
    // Without an 'error' listener ioredis prints every failed reconnect; this keeps it to one line a minute.
    this.redis.on('error', (error: Error) => this.unavailable(error));
    this.redis.on('ready', () => {
      this.bypassUntil = 0;
    });
  }

  /** Counts one request for `key`; see RateLimiter.hit. Resolves (allowed) rather than rejects when Redis fails. */
  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    assertPolicy(limit, windowSeconds);
    if (this.closed || Date.now() < this.bypassUntil) return uncounted(limit);
    try {
      const windowMs = Math.ceil(windowSeconds * 1000);
      const [count, msUntilReset] = await this.commands.dakgraphRateLimitHit(`${this.keyPrefix}${windowSeconds}:${key}`, windowMs);
      return decide(count, limit, msUntilReset);
    } catch (error) {
      this.unavailable(error);
      return uncounted(limit);
    }
  }

  /** See RateLimiter.peek; fails open like hit. */
  async peek(key: string, limit: number, windowSeconds: number): Promise<RateLimitDecision> {
    assertPolicy(limit, windowSeconds);
    if (this.closed || Date.now() < this.bypassUntil) return uncounted(limit);
    try {
      const [count, msUntilReset] = await this.commands.dakgraphRateLimitPeek(`${this.keyPrefix}${windowSeconds}:${key}`);
      return count === 0 ? uncounted(limit) : decide(count, limit, msUntilReset);
    } catch (error) {
      this.unavailable(error);
      return uncounted(limit);
    }
  }

  /** Closes the connection; later hits are allowed uncounted. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.redis.status === 'ready') {
      try {
        await this.redis.quit();
        return;
      } catch {
        // fall through: a connection that cannot quit politely is dropped
      }
    }
    this.redis.disconnect();
  }

  private unavailable(error: unknown): void {
    if (this.closed) return;
    const now = Date.now();
    this.bypassUntil = now + BYPASS_AFTER_FAILURE_MS;
    if (now - this.lastWarnedAt < WARNING_INTERVAL_MS) return;
    this.lastWarnedAt = now;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`rate limiting is not counting (requests are allowed): Redis at ${this.safeUrl} is unavailable: ${reason}`);
  }
}

/** The limiter for this deployment: Redis when REDIS_URL is set, otherwise this process's memory. */
export function createRateLimiter(env: NodeJS.ProcessEnv = process.env): RateLimiter {
  const redisUrl = env.REDIS_URL?.trim();
  return redisUrl ? new RedisRateLimiter(redisUrl) : new MemoryRateLimiter();
}
