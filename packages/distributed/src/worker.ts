/**
 * The worker side: a BullMQ Worker whose processor runs each job's task on a local
 * ThreadPoolExecutor (ProcessPoolExecutor with `processes`), and sends the outcome back
 * through BullMQ — the result as the job's return value, an exception as its failure.
 */
import { serialize } from 'node:v8';
import { BrokenExecutor, TimeoutError } from '@threadkit/core';
import { type Executor, ProcessPoolExecutor, ThreadPoolExecutor } from '@threadkit/pool';
import { encodeError } from '@threadkit/pool/internal';
import { type BackendFactory, type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { bullStore, type Connection } from './connection.js';
import { CodeBase } from './module-ref.js';
import { FINAL, runTask } from './run-task.js';
import { failureReason, type JobData, pack } from './wire.js';

type WorkerOptionsOf = NonNullable<ConstructorParameters<typeof Worker<JobData, string>>[2]>;

/** Options of {@link startWorker} (and of the `threadkit-worker` command). */
export interface WorkerOptions {
  /** Where the queue is: a `redis://` URL or ioredis options, or PostgreSQL (`postgres://` URL or `{ postgres }`). */
  connection: Connection;
  /** The queue to take tasks from (the executor's `queue`). */
  queue: string;
  /** Tasks run at once (default 1); also the size of the local pool. */
  concurrency?: number;
  /** Run tasks in child processes (ProcessPoolExecutor) instead of threads. */
  processes?: boolean;
  /** The project root that module targets are found in (default: nearest package.json above the working directory). */
  root?: string;
  /** BullMQ key prefix (default `bull`); must match the executor's. */
  prefix?: string;
  /** Milliseconds a job's lock lasts without renewal (BullMQ `lockDuration`, default 30000). */
  lockDuration?: number;
  /** Milliseconds between checks for jobs whose worker died (BullMQ `stalledInterval`, default 30000). */
  stalledInterval?: number;
  /**
   * Times a job may lose its worker and be run again before it fails with `KilledWorker`
   * (BullMQ `maxStalledCount`; default 3, as dask's `allowed-failures`).
   */
  maxStalledCount?: number;
}

/** A running worker; see {@link startWorker}. */
export interface DistributedWorker {
  /** The BullMQ worker underneath. */
  readonly bullmq: Worker;
  /** The project root this worker finds module targets in. */
  readonly root: string;
  /** Take no more tasks, let the running ones finish, then close the pool and the connection. */
  close(): Promise<void>;
}

function checkConcurrency(value: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TypeError(`concurrency must be an integer >= 1, not ${String(value)}`);
  }
  return value;
}

function readable(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The error a job fails with: readable for dashboards, and the whole error packed. */
function jobError(err: unknown, retry: boolean): Error {
  let packed: string;
  try {
    // The check throws for a field that cannot be serialised: then only the text travels.
    packed = pack(
      encodeError(err, (v) => {
        serialize(v);
        return v;
      }),
    );
  } catch {
    packed = pack(encodeError(new Error(readable(err)), (v) => v));
  }
  const message = failureReason(readable(err), packed);
  return retry ? new Error(message) : new UnrecoverableError(message);
}

/**
 * Start a worker for `queue`: it takes tasks from Redis, runs up to `concurrency` of them at
 * once on a local pool, and reports each outcome. Resolves once connected.
 */
export async function startWorker(options: WorkerOptions): Promise<DistributedWorker> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('startWorker({ connection, queue, concurrency?, processes? })');
  }
  if (typeof options.queue !== 'string' || options.queue === '') {
    throw new TypeError('queue must be a non-empty string');
  }
  const concurrency = checkConcurrency(options.concurrency);
  const store = bullStore(options.connection);
  const code = new CodeBase(options.root);
  const newPool = (): Executor =>
    options.processes
      ? new ProcessPoolExecutor({ maxWorkers: concurrency })
      : new ThreadPoolExecutor({ maxWorkers: concurrency, threadNamePrefix: 'threadkit-worker' });
  let pool = newPool();

  let stopping = false;
  const processor = async (job: Job<JobData>, token?: string): Promise<string> => {
    if (stopping) {
      // BullMQ's close() can still hand over a job its blocking fetch had in flight: give it
      // back to the queue for another worker (no new tasks once stopping).
      await job.moveToWait(token);
      throw new WaitingError();
    }
    const data = job.data;
    // Unpacking, running and packing all happen on the pool thread (see run-task.ts).
    const future = pool.submit(
      runTask,
      code.root,
      data.p,
      data.name,
      String(job.id),
      data.maxResultBytes,
    );
    try {
      return await future.result(data.timeout);
    } catch (err) {
      if (err instanceof BrokenExecutor) pool = newPool(); // a task killed its process
      if (err instanceof TimeoutError && !future.done()) {
        throw jobError(
          new TimeoutError(`task ${data.name} (job ${job.id}) took longer than ${data.timeout} s`),
          true,
        );
      }
      const final = err instanceof Error && FINAL in err;
      if (final) delete (err as unknown as Record<string, unknown>)[FINAL];
      throw jobError(err, !final); // a final error would only repeat: no retry
    }
  };

  const settings: Record<string, unknown> = {
    connection: store.connection,
    concurrency,
    maxStalledCount: options.maxStalledCount ?? 3,
    autorun: true,
  };
  // BullMQ takes an explicit undefined as a value: pass only what was given.
  for (const key of ['prefix', 'lockDuration', 'stalledInterval'] as const) {
    if (options[key] !== undefined) settings[key] = options[key];
  }
  const worker = new Worker<JobData, string>(
    options.queue,
    processor,
    settings as unknown as WorkerOptionsOf,
    store.factory as BackendFactory<any, any>,
  ) as Worker<JobData, string>;
  let lastError = '';
  worker.on('error', (err) => {
    // Connection trouble is retried by ioredis; say it once per kind, not per retry.
    const text = readable(err);
    if (text !== lastError) process.stderr.write(`threadkit-worker: ${text}\n`);
    lastError = text;
  });
  await worker.waitUntilReady();
  let closing: Promise<void> | null = null;
  return {
    bullmq: worker,
    root: code.root,
    close() {
      stopping = true;
      closing ??= (async () => {
        await worker.close();
        await pool.shutdown({ wait: true });
      })();
      return closing;
    },
  };
}
