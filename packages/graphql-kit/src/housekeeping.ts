import type { Server } from 'node:http';

/** Background work a subgraph does for itself while it serves (purging expired records, ...). */
export interface HousekeepingTask {
  /** For logs. */
  name: string;
  /** Runs once when the server starts listening, then this often. */
  everyMs: number;
  run: () => Promise<unknown>;
}

export interface HousekeepingLogger {
  info(message: string): void;
  error(message: string): void;
}

/**
 * A retention in milliseconds from an environment variable giving whole hours (1 to 8760, a year),
 * `defaultHours` when it is unset or empty. Every purge of dakgraph reads its retention this way.
 */
export function retentionMsFromEnv(env: NodeJS.ProcessEnv, variable: string, defaultHours: number): number {
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === '') return defaultHours * 3600 * 1000;
  const hours = Number(raw);
  if (!/^\d+$/.test(raw) || hours < 1 || hours > 8760) {
    throw new Error(`${variable} must be a whole number of hours from 1 to 8760 (a year), not "${raw}"`);
  }
  return hours * 3600 * 1000;
}

/**
 * Runs tasks while `server` listens: first when it starts listening, then every `everyMs`, never two runs
 * of one task at once, and not after the server closes. Tasks are tied to listening, not to building the
 * server, so that tests which call a subgraph without a port run none. A failing run is logged and tried
 * again next time: housekeeping must never take a serving subgraph down. Timers are unref'd, so they
 * never keep a process alive on their own. Returns what resolves once the runs in progress have finished:
 * a close stops new runs, not one in the middle of its transaction, so a host closes its database after it.
 */
export function runHousekeepingWhileListening(server: Server, tasks: HousekeepingTask[], logger: HousekeepingLogger = console): () => Promise<void> {
  const inProgress = new Set<Promise<void>>();
  const finished = async (): Promise<void> => {
    await Promise.all([...inProgress]);
  };
  if (tasks.length === 0) return finished;
  for (const task of tasks) {
    if (!Number.isFinite(task.everyMs) || task.everyMs < 1) throw new Error(`housekeeping task ${task.name}: everyMs must be positive`);
  }
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;
  server.on('listening', () => {
    stopped = false;
    for (const task of tasks) {
      let running = false;
      const tick = async (): Promise<void> => {
        if (running || stopped) return;
        running = true;
        const run = (async () => {
          try {
            await task.run();
          } catch (error) {
            logger.error(`housekeeping ${task.name} failed (will retry in ${Math.round(task.everyMs / 1000)} s): ${(error as Error).message}`);
          } finally {
            running = false;
          }
        })();
        inProgress.add(run);
        await run;
        inProgress.delete(run);
      };
      void tick();
      const timer = setInterval(() => void tick(), task.everyMs);
      timer.unref();
      timers.push(timer);
    }
  });
  server.on('close', () => {
    stopped = true;
    timers.splice(0).forEach(clearInterval);
  });
  return finished;
}

/**
 * A long-running part of a subgraph beside its API (the outbox relay, an event consumer, the webhook
 * dispatcher): started when the server starts listening and stopped when it closes, like housekeeping,
 * so that tests which only execute operations start none.
 */
export interface BackgroundWorker {
  name: string;
  start(): void | Promise<void>;
  /** Finishes what is in flight; nothing acknowledged may be lost. */
  stop(): Promise<void>;
}

/**
 * Starts `workers` whenever `server` starts listening and stops them when it closes; a failure is logged,
 * never thrown. Returns what resolves once the workers a close stopped have finished stopping, so a host
 * can close its database only after them.
 */
export function runWorkersWhileListening(server: Server, workers: readonly BackgroundWorker[], logger: HousekeepingLogger = console): () => Promise<void> {
  let started: Promise<void> = Promise.resolve();
  let stopped: Promise<void> = Promise.resolve();
  if (workers.length === 0) return () => stopped;
  const report = (worker: BackgroundWorker, what: string) => (error: unknown) =>
    logger.error(`${worker.name} failed to ${what}: ${(error as Error)?.message ?? String(error)}`);
  server.on('listening', () => {
    started = Promise.all(workers.map((worker) => Promise.resolve().then(() => worker.start()).catch(report(worker, 'start')))).then(() => undefined);
  });
  server.on('close', () => {
    const starting = started;
    stopped = starting.then(() => Promise.all(workers.map((worker) => worker.stop().catch(report(worker, 'stop'))))).then(() => undefined);
  });
  return () => stopped;
}
