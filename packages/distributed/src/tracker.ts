/**
 * The submitter's book of jobs in flight: each job id with its Future. BullMQ's queue events
 * (`active`, `completed`, `failed`) settle them; a poll catches what the event stream missed
 * (events are not replayed across a reconnect) and notices a Redis that stopped answering,
 * so that no Future waits forever. A Future settles once: later news of its job is ignored.
 */

import type { Future } from '@threadkit/pool';
import { decodeError, ERROR_CLASSES } from '@threadkit/pool/internal';
import { Job, type Queue, type QueueEvents } from 'bullmq';
import { ConnectionError, JobLost, KilledWorker, ResultTooLarge } from './errors.js';
import { packedErrorOf, unpack } from './wire.js';

/** Settings of a {@link JobTracker}. */
export interface TrackerOptions {
  /** Seconds between polls. */
  pollInterval: number;
  /** Seconds without an answer from Redis before the Futures in flight fail. */
  connectTimeout: number;
  /** Largest result accepted, in bytes (null: no limit). */
  maxResultBytes: number | null;
  /** Where the store is, for messages (`Redis at redis://…`). */
  where: string;
}

interface Entry {
  future: Future<any>;
  name: string;
  /** Whether the job is in Redis (its add was acknowledged). */
  added: boolean;
  /** When the poll last looked at it (performance.now() ms). */
  checkedAt: number;
}

/** BullMQ's failure reason for a job that stalled more than `maxStalledCount` times. */
const STALLED = 'job stalled more than allowable limit';
/** Jobs the poll looks up per round, at most (the event stream is the fast path). */
const CHECKS_PER_POLL = 64;

const ERRORS = { ...ERROR_CLASSES, KilledWorker, ConnectionError, ResultTooLarge, JobLost };

/** Tracks the jobs of one executor. */
export class JobTracker {
  readonly #options: TrackerOptions;
  readonly #pending = new Map<string, Entry>();
  #remove: ((id: string) => void) | null = null;
  #queue: Queue | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #lastContact = performance.now();
  #pinging = false;
  #polling = false;
  #drainWaiters: Array<() => void> = [];

  constructor(options: TrackerOptions) {
    this.#options = options;
  }

  /** Start tracking `future` as job `id`; `remove` deletes the job when the Future is cancelled. */
  track(id: string, name: string, future: Future<any>, remove: (id: string) => void): void {
    this.#remove = remove;
    this.#pending.set(id, { future, name, added: false, checkedAt: performance.now() });
    future.addDoneCallback(() => {
      if (!future.cancelled()) return;
      const entry = this.#pending.get(id);
      this.#forget(id);
      future.setRunningOrNotifyCancel(); // tell wait()/asCompleted(), as a pool worker would
      if (entry?.added) remove(id);
    });
  }

  /** Whether job `id` is still wanted (not cancelled, not settled). */
  wanted(id: string): boolean {
    return this.#pending.has(id);
  }

  /** Job `id` is in Redis now. */
  added(id: string): void {
    const entry = this.#pending.get(id);
    if (!entry) {
      this.#remove?.(id); // cancelled while its add was on the way
      return;
    }
    entry.added = true;
    entry.checkedAt = performance.now();
  }

  /** Fail job `id`'s Future with `error` (its add failed, say). */
  fail(id: string, error: unknown): void {
    this.#settle(id, (f) => f.setException(error));
  }

  /** Cancel every Future not started (shutdown's `cancelFutures`). */
  cancelAll(): void {
    for (const entry of [...this.#pending.values()]) entry.future.cancel();
  }

  /** Resolves once no job is in flight. */
  drained(): Promise<void> {
    if (this.#pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  /** Listen to `events` and start polling through `queue`. */
  attach(queue: Queue, events: QueueEvents): void {
    this.#queue = queue;
    this.#lastContact = performance.now();
    events.on('active', ({ jobId }) => {
      this.#contact();
      this.#markRunning(jobId);
    });
    events.on('completed', ({ jobId, returnvalue }) => {
      this.#contact();
      this.#completed(jobId, returnvalue);
    });
    events.on('failed', ({ jobId, failedReason }) => {
      this.#contact();
      this.#failed(jobId, failedReason);
    });
    this.#timer = setInterval(() => this.#poll(), this.#options.pollInterval * 1000);
    this.#timer.unref();
  }

  /** Stop polling. */
  detach(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#queue = null;
  }

  #contact(): void {
    this.#lastContact = performance.now();
  }

  #markRunning(id: string): void {
    const f = this.#pending.get(id)?.future;
    if (f && !f.running() && !f.done()) f.setRunningOrNotifyCancel();
  }

  #completed(id: string, returnvalue: unknown): void {
    const entry = this.#pending.get(id);
    if (!entry) return;
    const { maxResultBytes } = this.#options;
    if (typeof returnvalue !== 'string') {
      this.fail(id, new TypeError(`job ${id} of task ${entry.name} returned no threadkit result`));
      return;
    }
    if (maxResultBytes !== null && Math.floor((returnvalue.length * 3) / 4) > maxResultBytes + 2) {
      this.fail(
        id,
        new ResultTooLarge(
          `the result of task ${entry.name} (job ${id}) is over the limit of ${maxResultBytes} bytes (maxResultBytes)`,
        ),
      );
      return;
    }
    let value: unknown;
    try {
      value = unpack(returnvalue);
    } catch (err) {
      this.fail(id, err);
      return;
    }
    this.#settle(id, (f) => f.setResult(value));
  }

  #failed(id: string, reason: string | undefined): void {
    const entry = this.#pending.get(id);
    if (!entry) return;
    this.fail(id, this.#errorOf(id, entry.name, reason));
  }

  #errorOf(id: string, name: string, reason: string | undefined): unknown {
    const packed = packedErrorOf(reason);
    if (packed !== null) {
      try {
        return decodeError(unpack(packed), ERRORS);
      } catch {
        // fall through to the readable reason
      }
    }
    if (reason === STALLED) {
      return new KilledWorker(
        `task ${name} (job ${id}) was running on workers that died (or stopped renewing its lock) ` +
          `more often than the workers allow (maxStalledCount); it was not run again`,
      );
    }
    return new Error(reason ?? `job ${id} of task ${name} failed`);
  }

  #settle(id: string, finish: (f: Future<any>) => void): void {
    const entry = this.#pending.get(id);
    if (!entry) return;
    this.#forget(id);
    if (!entry.future.done()) finish(entry.future);
  }

  #forget(id: string): void {
    if (!this.#pending.delete(id) || this.#pending.size > 0) return;
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const w of waiters) w();
  }

  /** One round: check Redis answers, and look up jobs not heard about for a while. */
  #poll(): void {
    const queue = this.#queue;
    if (!queue) return;
    const now = performance.now();
    const { connectTimeout, pollInterval, where } = this.#options;
    if (this.#pending.size > 0 && now - this.#lastContact > connectTimeout * 1000) {
      const error = new ConnectionError(
        `lost ${where}: no answer for ${connectTimeout} s; the state of the tasks in flight is unknown`,
      );
      for (const id of [...this.#pending.keys()]) this.fail(id, error);
    }
    if (!this.#pinging) {
      this.#pinging = true;
      // Any cheap command will do (and it works on every BullMQ backend).
      queue
        .isPaused()
        .then(() => this.#contact())
        .catch(() => {})
        .finally(() => {
          this.#pinging = false;
        });
    }
    if (this.#polling || this.#pending.size === 0) return;
    const due: string[] = [];
    for (const [id, entry] of this.#pending) {
      if (entry.added && now - entry.checkedAt >= pollInterval * 1000) {
        entry.checkedAt = now;
        due.push(id);
        if (due.length === CHECKS_PER_POLL) break;
      }
    }
    if (due.length === 0) return;
    this.#polling = true;
    Promise.all(due.map((id) => this.#check(queue, id)))
      .catch(() => {}) // Redis trouble: the next round (and the timeout above) handle it
      .finally(() => {
        this.#polling = false;
      });
  }

  async #check(queue: Queue, id: string): Promise<void> {
    const job = await Job.fromId(queue, id);
    this.#contact();
    const entry = this.#pending.get(id);
    if (!entry) return;
    if (!job) {
      this.fail(
        id,
        new JobLost(
          `job ${id} of task ${entry.name} vanished from Redis (removed, or Redis restarted without its data)`,
        ),
      );
      return;
    }
    if (job.finishedOn) {
      const state = await job.getState();
      if (state === 'completed') this.#completed(id, job.returnvalue);
      else if (state === 'failed') this.#failed(id, job.failedReason);
    } else if (job.processedOn) {
      this.#markRunning(id);
    }
  }
}
