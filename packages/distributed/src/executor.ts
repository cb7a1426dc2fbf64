/**
 * `DistributedExecutor`: concurrent.futures' Executor across machines (docs/CONTRACT.md §5b).
 * Each call is a BullMQ job; workers (`threadkit-worker`, `startWorker`) run it; its outcome
 * comes back through BullMQ's queue events and settles a @threadkit/pool Future.
 */
import { randomUUID } from 'node:crypto';
import { DataCloneError, RuntimeError, ValueError } from '@threadkit/core';
import { Executor, Future, type MapOptions, type ShutdownOptions } from '@threadkit/pool';
import {
  batched,
  mapArguments,
  mapResults,
  processArgs,
  targetSpec,
  zipIterables,
} from '@threadkit/pool/internal';
import {
  type BackendFactory,
  type JobsOptions,
  Queue,
  QueueEvents,
  type QueueEventsOptions,
  type QueueOptions,
} from 'bullmq';
import { type BullStore, bullStore, type Connection, describeConnection } from './connection.js';
import { ConnectionError } from './errors.js';
import { portableSpec } from './module-ref.js';
import { JobTracker, type TrackerOptions } from './tracker.js';
import { type JobData, pack, type TaskPayload } from './wire.js';

/** How a failed call is retried (BullMQ's backoff): a fixed delay, or one that doubles. */
export interface Backoff {
  /** `fixed`: the same delay each time; `exponential`: `delay`, then twice as long each time. */
  type: 'fixed' | 'exponential';
  /** Milliseconds (the first delay, for `exponential`). */
  delay: number;
}

/** Options of {@link DistributedExecutor}. */
export interface DistributedExecutorOptions {
  /** Where the queue is: a `redis://` URL or ioredis options, or PostgreSQL (`postgres://` URL or `{ postgres }`). */
  connection: Connection;
  /** The queue the workers take tasks from. */
  queue: string;
  /** BullMQ key prefix (default `bull`; Redis only); workers must use the same. */
  prefix?: string;
  /** Runs of a call before its exception is final (BullMQ `attempts`, default 1: no retry). */
  attempts?: number;
  /** Delay between runs of a failed call: milliseconds (fixed) or a {@link Backoff}. */
  backoff?: number | Backoff;
  /** Seconds one run of a call may take before it fails with TimeoutError (default: no limit). */
  timeout?: number | null;
  /** Largest result, in bytes of v8 serialisation (default 32 MiB; null: no limit). */
  maxResultBytes?: number | null;
  /** Seconds to wait for an unreachable Redis (or PostgreSQL) before failing the calls that need it (default 10). */
  connectTimeout?: number;
  /** Seconds between checks of jobs not heard about (missed events, lost jobs; default 1). */
  pollInterval?: number;
  /** Seconds BullMQ keeps finished jobs in Redis (default 3600). */
  keepFinished?: number;
}

const DEFAULT_MAX_RESULT = 32 * 1024 * 1024;
/** Most jobs sent in one addBulk (one MULTI in Redis: keep each transaction short). */
const MAX_BATCH = 500;

/** A call submitted and not yet sent to Redis. */
interface PendingJob {
  id: string;
  name: string;
  data: JobData;
}

function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0)) {
    throw new ValueError(`${name} must be a number > 0, not ${String(value)}`);
  }
  return value;
}

function checkAttempts(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(`attempts must be an integer >= 1, not ${String(value)}`);
  }
  return value;
}

function checkBackoff(value: unknown): Backoff | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && value >= 0) return { type: 'fixed', delay: value };
  const b = value as Backoff;
  if (
    b !== null &&
    typeof b === 'object' &&
    (b.type === 'fixed' || b.type === 'exponential') &&
    typeof b.delay === 'number' &&
    b.delay >= 0
  ) {
    return { type: b.type, delay: b.delay };
  }
  throw new ValueError("backoff must be milliseconds or { type: 'fixed' | 'exponential', delay }");
}

function taskName(fn: unknown): string {
  if (typeof fn === 'function') return fn.name || '(anonymous)';
  return `${(fn as object).constructor?.name ?? 'object'}.run`;
}

/**
 * An executor whose calls run on other machines (Python: dask.distributed's
 * `Client.get_executor()`). Calls are BullMQ jobs in `queue`; workers started with
 * `threadkit-worker` or {@link startWorker} run them. Arguments and results cross by v8
 * serialisation; module targets travel by reference and are found in the workers' copy of
 * the code; inline functions travel by value.
 */
export class DistributedExecutor extends Executor {
  readonly #connection: Connection;
  readonly #store: BullStore;
  readonly #queueName: string;
  readonly #prefix: string | undefined;
  readonly #jobOptions: JobsOptions;
  readonly #timeout: number | null;
  readonly #maxResultBytes: number | null;
  readonly #connectTimeout: number;
  readonly #tracker: JobTracker;
  readonly #id = randomUUID().slice(0, 13);
  #count = 0;
  #batch: PendingJob[] = [];
  #queue: Queue | null = null;
  #events: QueueEvents | null = null;
  #ready: Promise<void> | null = null;
  #lastError: unknown = null;
  #shutdown = false;
  #closing: Promise<void> | null = null;

  /** `new DistributedExecutor({ connection: 'redis://host:6379', queue: 'tasks', … })`. */
  constructor(options: DistributedExecutorOptions) {
    super();
    if (options === null || typeof options !== 'object') {
      throw new TypeError('DistributedExecutor({ connection, queue, … })');
    }
    if (typeof options.queue !== 'string' || options.queue === '' || options.queue.includes(':')) {
      throw new ValueError('queue must be a non-empty string without ":"');
    }
    this.#store = bullStore(options.connection); // checks it
    this.#connection = options.connection;
    this.#queueName = options.queue;
    this.#prefix = options.prefix;
    const keep = positive(options.keepFinished, 'keepFinished', 3600);
    this.#jobOptions = {
      attempts: checkAttempts(options.attempts),
      backoff: checkBackoff(options.backoff),
      removeOnComplete: { age: keep },
      removeOnFail: { age: keep },
    };
    this.#timeout =
      options.timeout === undefined || options.timeout === null
        ? null
        : positive(options.timeout, 'timeout', 0);
    this.#maxResultBytes =
      options.maxResultBytes === null
        ? null
        : positive(options.maxResultBytes, 'maxResultBytes', DEFAULT_MAX_RESULT);
    this.#connectTimeout = positive(options.connectTimeout, 'connectTimeout', 10);
    const trackerOptions: TrackerOptions = {
      pollInterval: positive(options.pollInterval, 'pollInterval', 1),
      connectTimeout: this.#connectTimeout,
      maxResultBytes: this.#maxResultBytes,
      where: `${this.#store.kind} at ${describeConnection(options.connection)}`,
    };
    this.#tracker = new JobTracker(trackerOptions);
  }

  /** The BullMQ queue name. */
  get queue(): string {
    return this.#queueName;
  }

  /**
   * Schedule `fn(...args)` on a worker; returns its Future. Throws at once after `shutdown()`
   * (`RuntimeError`) or for an argument that cannot cross (`DataCloneError` naming its path);
   * an unreachable Redis fails the Future with `ConnectionError` after `connectTimeout`.
   */
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<Awaited<R>> {
    this.#checkOpen();
    const spec = this.#spec(fn);
    return this.#submitTask(taskName(fn), {
      k: 'call',
      spec,
      args: this.#args(args, 'args') as unknown[],
    });
  }

  /**
   * As `Executor.map`, and `chunksize` sends that many calls to a worker as one job
   * (fewer round trips through Redis for many small calls).
   */
  override map<R>(
    fn: (...args: any[]) => R,
    ...iterablesAndOptions: Array<Iterable<unknown> | MapOptions>
  ): AsyncGenerator<Awaited<R>, void, undefined> {
    const { iterables, options } = mapArguments(iterablesAndOptions);
    const chunksize = options.chunksize ?? 1;
    if (typeof chunksize !== 'number' || !Number.isInteger(chunksize) || chunksize < 1) {
      throw new ValueError('chunksize must be >= 1.');
    }
    if (chunksize === 1) return super.map(fn, ...(iterables as Iterable<unknown>[]), options);
    const spec = this.#spec(fn);
    const name = taskName(fn);
    const chunks = mapResults(
      (batch) => {
        this.#checkOpen();
        const argsList = this.#args(batch, 'args') as unknown[][];
        return this.#submitTask(name, { k: 'chunk', spec, argsList }) as Future<Awaited<R>[]>;
      },
      batched(zipIterables(iterables), chunksize),
      options.timeout,
      options.buffersize,
    );
    return (async function* flatten() {
      for await (const chunk of chunks) yield* chunk;
    })();
  }

  /**
   * Stop accepting calls; `cancelFutures` cancels (removes the jobs of) those not started.
   * With `wait` (default) resolves once every call has finished and the connections are closed.
   */
  shutdown(options?: ShutdownOptions | boolean): Promise<void> {
    const { wait, cancelFutures } =
      typeof options === 'boolean'
        ? { wait: options, cancelFutures: false }
        : { wait: options?.wait ?? true, cancelFutures: options?.cancelFutures ?? false };
    this.#shutdown = true;
    if (cancelFutures) this.#tracker.cancelAll();
    this.#closing ??= this.#tracker.drained().then(() => this.#close());
    return wait ? this.#closing : Promise.resolve();
  }

  #checkOpen(): void {
    if (this.#shutdown) throw new RuntimeError('cannot schedule new futures after shutdown');
  }

  #spec(fn: unknown) {
    if (fn !== null && typeof fn === 'object') {
      this.#args({ ...(fn as Record<string, unknown>) }, `fn.${taskName(fn).slice(0, -4)}`);
    }
    return portableSpec(targetSpec(fn));
  }

  /** `args` checked for the trip: plain data (with its path), then v8-serialisable. */
  #args(args: unknown, path: string): unknown {
    processArgs(args, path);
    return args;
  }

  #submitTask(name: string, task: TaskPayload): Future<any> {
    let p: string;
    try {
      p = pack(task);
    } catch (err) {
      throw new DataCloneError(
        `${name}: its arguments cannot be sent to a worker: ${(err as Error).message}`,
      );
    }
    const data: JobData = { p, name, maxResultBytes: this.#maxResultBytes, timeout: this.#timeout };
    const f = new Future<any>();
    const id = `${this.#id}-${++this.#count}`;
    this.#tracker.track(id, name, f, (jobId) => this.#remove(jobId));
    // Calls made in one go (a loop of submits, a map's window) travel as one addBulk.
    this.#batch.push({ id, name, data });
    if (this.#batch.length === 1) queueMicrotask(() => this.#flush());
    return f;
  }

  /** Send the calls submitted since the last flush to Redis. */
  #flush(): void {
    const batch = this.#batch;
    this.#batch = [];
    for (let i = 0; i < batch.length; i += MAX_BATCH) {
      void this.#enqueue(batch.slice(i, i + MAX_BATCH));
    }
  }

  async #enqueue(batch: PendingJob[]): Promise<void> {
    try {
      await this.#connect();
    } catch (err) {
      for (const job of batch) this.#tracker.fail(job.id, err);
      return;
    }
    const jobs = batch.filter((job) => this.#tracker.wanted(job.id)); // not cancelled meanwhile
    if (jobs.length === 0) return;
    const queue = this.#queue as Queue;
    const options = (id: string): JobsOptions => ({ ...this.#jobOptions, jobId: id });
    const first = jobs[0] as PendingJob;
    try {
      await this.#withTimeout<unknown>(
        jobs.length === 1
          ? queue.add(first.name, first.data, options(first.id))
          : queue.addBulk(jobs.map((j) => ({ name: j.name, data: j.data, opts: options(j.id) }))),
        jobs.length === 1
          ? `adding job ${first.id} of task ${first.name}`
          : `adding ${jobs.length} jobs (${first.id}…)`,
      );
    } catch (err) {
      for (const job of jobs) this.#tracker.fail(job.id, err);
      return;
    }
    for (const job of jobs) this.#tracker.added(job.id);
  }

  async #remove(jobId: string): Promise<void> {
    if (!this.#queue) return;
    try {
      await this.#withTimeout(this.#queue.remove(jobId), `removing job ${jobId}`);
    } catch {
      // Already taken by a worker (locked) or unreachable: its outcome will be ignored.
    }
  }

  /** Connect the queue and its event stream once (again after a failed attempt). */
  #connect(): Promise<void> {
    this.#ready ??= this.#open().catch((err) => {
      this.#ready = null;
      throw err;
    });
    return this.#ready;
  }

  async #open(): Promise<void> {
    const { connection, factory } = this.#store;
    const base = this.#prefix ? { connection, prefix: this.#prefix } : { connection };
    const noteError = (err: unknown) => {
      this.#lastError = err;
    };
    // `factory` undefined is BullMQ's default (Redis); BullMQ's overloads type the two apart.
    const queue = new Queue(
      this.#queueName,
      base as QueueOptions<any>,
      factory as BackendFactory,
    ) as Queue;
    queue.on('error', noteError);
    let events: QueueEvents | null = null;
    try {
      await this.#withTimeout(queue.waitUntilReady(), 'connecting');
      // Read events from the stream's current end, not from whenever the blocking read
      // starts: a job added (and run) in between would otherwise go unheard of.
      const lastEventId = await this.#withTimeout(lastEventIdOf(queue), 'connecting');
      events = new QueueEvents(
        this.#queueName,
        { ...base, lastEventId } as QueueEventsOptions<any>,
        factory as BackendFactory,
      ) as QueueEvents;
      events.on('error', noteError);
      await this.#withTimeout(events.waitUntilReady(), 'connecting');
    } catch (err) {
      void Promise.allSettled([closeClient(queue, 0), events && closeClient(events, 0)]);
      if (err instanceof ConnectionError) throw err;
      // PostgreSQL's driver fails at once (Redis's retries until our timeout above).
      throw new ConnectionError(
        `cannot reach ${this.#store.kind} at ${describeConnection(this.#connection)} (connecting): ` +
          (err instanceof Error ? err.message : String(err)),
        { cause: err },
      );
    }
    this.#queue = queue;
    this.#events = events;
    this.#tracker.attach(queue, events);
  }

  /** `promise`, or ConnectionError once Redis has not answered for `connectTimeout`. */
  #withTimeout<T>(promise: Promise<T>, doing: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const cause = this.#lastError;
        reject(
          new ConnectionError(
            `cannot reach ${this.#store.kind} at ${describeConnection(this.#connection)} (${doing}): ` +
              `no answer for ${this.#connectTimeout} s` +
              (cause instanceof Error ? ` (${cause.message})` : ''),
            { cause },
          ),
        );
      }, this.#connectTimeout * 1000);
      promise.then(
        (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        (err) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }

  async #close(): Promise<void> {
    this.#tracker.detach();
    const clients = [this.#events, this.#queue].filter((c) => c !== null);
    this.#events = null;
    this.#queue = null;
    await Promise.allSettled(clients.map((c) => closeClient(c, this.#connectTimeout * 1000)));
  }
}

/** The id of the last event in `queue`'s event stream ('0-0' or 0 when it has none). */
async function lastEventIdOf(queue: Queue): Promise<string> {
  const backend = queue.getBackend() as unknown as RedisBackend | PostgresBackend;
  if ('client' in backend) {
    // The Redis backend's raw client (BullMQ's `Queue.client` escape hatch).
    const client = await backend.client;
    const last = await client.xrevrange(queue.keys.events, '+', '-', 'COUNT', 1);
    return last[0]?.[0] ?? '0-0';
  }
  // The PostgreSQL backend's pool (its search_path is BullMQ's schema): the query its own
  // '$' cursor runs (read_events_max.sql), made now rather than at the first blocking read.
  const { rows } = await backend.connection.pool.query(
    'SELECT COALESCE(MAX(id), 0)::bigint AS max FROM event WHERE queue = $1',
    [backend.queueName],
  );
  return String(rows[0]?.max ?? 0);
}

interface RedisBackend {
  client: Promise<{
    xrevrange(
      key: string,
      end: string,
      start: string,
      count: 'COUNT',
      n: number,
    ): Promise<[string, string[]][]>;
  }>;
}

interface PostgresBackend {
  queueName: string;
  connection: {
    pool: { query(sql: string, params: unknown[]): Promise<{ rows: { max?: unknown }[] }> };
  };
}

/**
 * Close a BullMQ client; after `ms` without success, drop its connections. A client whose
 * Redis is gone waits on its reconnects when closed gracefully (BullMQ's QueueEvents never
 * finishes closing then): it must not hold shutdown, nor keep the process alive.
 */
async function closeClient(client: Queue | QueueEvents, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const closed = client.close().then(
    () => true,
    () => false,
  );
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const ok = await Promise.race([closed, late]);
  clearTimeout(timer);
  if (!ok)
    await client
      .getBackend()
      .close(true)
      .catch(() => {});
}
