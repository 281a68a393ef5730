import { createServer } from 'node:http';
import { close, idempotencyPurgeTask, idempotencyRetentionMs, listen, runHousekeepingWhileListening, type HousekeepingTask } from '../src';

/** Waits until `condition` holds, checking every 5 ms; fails after `ms` (a deadline for a hang, not a speed test). */
async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('runHousekeepingWhileListening', () => {
  const logger = { info: jest.fn(), error: jest.fn() };
  beforeEach(() => jest.clearAllMocks());

  /** A server running one task, listening. */
  async function listeningWith(task: HousekeepingTask) {
    const server = createServer();
    runHousekeepingWhileListening(server, [task], logger);
    await listen(server, 0, '127.0.0.1');
    return server;
  }

  it('runs nothing until the server listens, then at once and repeatedly, and stops when it closes', async () => {
    let runs = 0;
    const server = createServer();
    runHousekeepingWhileListening(server, [{ name: 'count', everyMs: 10, run: async () => (runs += 1) }], logger);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs).toBe(0);
    await listen(server, 0, '127.0.0.1');
    await until(() => runs >= 3);
    await close(server);
    const afterClose = runs;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(runs).toBe(afterClose);
  });

  it('says when a run that was in progress at the close has finished, so the database closes after it', async () => {
    let release: () => void = () => undefined;
    let finished = false;
    const server = createServer();
    const done = runHousekeepingWhileListening(server, [{ name: 'slow', everyMs: 60_000, run: () => new Promise<void>((resolve) => (release = resolve)).then(() => void (finished = true)) }], logger);
    await listen(server, 0, '127.0.0.1');
    await close(server);
    let waited = false;
    const waiting = done().then(() => (waited = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(waited).toBe(false);
    release();
    await waiting;
    expect(finished).toBe(true);
    // Nothing in progress: it resolves at once.
    await done();
  });

  it('logs a failing run and tries again, without ever throwing into the server', async () => {
    let attempts = 0;
    const server = await listeningWith({
      name: 'flaky purge',
      everyMs: 10,
      run: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('database is restarting');
      },
    });
    await until(() => attempts >= 2);
    await close(server);
    expect(logger.error).toHaveBeenCalledWith(expect.stringMatching(/flaky purge failed .*database is restarting/));
  });

  it('never overlaps two runs of a slow task', async () => {
    let running = 0;
    let overlapped = false;
    let finished = 0;
    const server = await listeningWith({
      name: 'slow',
      everyMs: 5,
      run: async () => {
        running += 1;
        if (running > 1) overlapped = true;
        await new Promise((resolve) => setTimeout(resolve, 30));
        running -= 1;
        finished += 1;
      },
    });
    await until(() => finished >= 2);
    await close(server);
    expect(overlapped).toBe(false);
  });

  it('refuses a task without a positive period', () => {
    expect(() => runHousekeepingWhileListening(createServer(), [{ name: 'bad', everyMs: 0, run: async () => undefined }], logger)).toThrow(/everyMs/);
  });
});

describe('idempotency retention', () => {
  it('is a week unless IDEMPOTENCY_RETENTION_HOURS says otherwise', () => {
    expect(idempotencyRetentionMs({})).toBe(7 * 24 * 3600 * 1000);
    expect(idempotencyRetentionMs({ IDEMPOTENCY_RETENTION_HOURS: '' })).toBe(7 * 24 * 3600 * 1000);
    expect(idempotencyRetentionMs({ IDEMPOTENCY_RETENTION_HOURS: ' 24 ' })).toBe(24 * 3600 * 1000);
  });

  it.each(['0', '-1', '1.5', 'a week', '8761', '1e3'])('refuses IDEMPOTENCY_RETENTION_HOURS=%s with a message', (value) => {
    expect(() => idempotencyRetentionMs({ IDEMPOTENCY_RETENTION_HOURS: value })).toThrow(/whole number of hours from 1 to 8760/);
  });

  it('purges what is older than the retention, hourly', async () => {
    const purgeBefore = jest.fn(async () => 0);
    const task = idempotencyPurgeTask('articles', 24 * 3600 * 1000, purgeBefore, () => Date.parse('2026-11-25T12:00:00Z'));
    expect(task.everyMs).toBe(3600 * 1000);
    await task.run();
    expect(purgeBefore).toHaveBeenCalledWith(new Date('2026-11-24T12:00:00Z'));
  });
});
