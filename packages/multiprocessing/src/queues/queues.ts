/**
 * `multiprocessing.Queue`, `JoinableQueue` and `SimpleQueue`: FIFO queues shared by processes
 * (and by the threads of each). Items are any structured-cloneable values, copied (JSON or v8
 * serialization, see internal/message.ts). A queue reaches a child process in its Process arguments, as in Python
 * ("through inheritance"), and the threads of a process through thread arguments.
 */
import { inspect } from 'node:util';
import { ValueError } from '@threadkit/core';
import {
  attach,
  queueWaitArgs,
  registerSharedType,
  SHARED,
  type SharedDescriptor,
  takeAttached,
} from '@threadkit/core/internal';
import { decodeMessage, encodeMessage } from '../internal/message.js';
import { checkCrossProcess, fdOf, mapFd, PROCESS_SHARED } from '../internal/transfer.js';
import { deadlineFor, ProcessQueueCore, type QueueFds } from './process-queue-core.js';

type Kind = 'Queue' | 'JoinableQueue' | 'SimpleQueue';

interface Revival {
  core: ProcessQueueCore;
}

/** Options accepted by `get`, `put` and their async twins in place of the positional arguments. */
export interface QueueWaitOptions {
  /** Wait for an item / a free place (default true). */
  block?: boolean;
  /** Seconds to wait at most; `null` waits forever. */
  timeout?: number | null;
  /** Async twins only: abandon the wait when this signal aborts. */
  signal?: AbortSignal;
}

function checkMaxsize(maxsize: number): number {
  if (typeof maxsize !== 'number' || !Number.isFinite(maxsize))
    throw new TypeError('maxsize must be a number');
  return Math.max(0, Math.trunc(maxsize));
}

/** The shared part of the three queue classes. */
abstract class BaseQueue {
  /** @internal */
  protected readonly core: ProcessQueueCore;
  #closed = false;

  protected constructor(maxsize: number, joinable: boolean) {
    const revived = takeAttached<Revival>();
    this.core = revived ? revived.core : ProcessQueueCore.create(checkMaxsize(maxsize), joinable);
  }

  /** @internal Which queue class this is (travels in the descriptor). */
  protected abstract get kind(): Kind;

  /** @internal */
  protected checkOpen(): void {
    if (this.#closed) throw new ValueError(`Queue ${this} is closed`);
  }

  /** @internal */
  protected encode(obj: unknown): Buffer {
    this.checkOpen();
    checkCrossProcess(obj, 'obj', false);
    return encodeMessage(obj);
  }

  /** Approximate number of items in the queue. */
  qsize(): number {
    this.checkOpen();
    return this.core.qsize();
  }

  /** Whether the queue is empty (approximately: other processes may change it at once). */
  empty(): boolean {
    return this.qsize() === 0;
  }

  /**
   * Close the queue in this process: it can no longer be used here. Other processes and
   * threads holding it are not affected.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.core.close();
  }

  /** @internal Descriptors for a thread (same numbers) or a child process (mapped). */
  [SHARED](): SharedDescriptor {
    this.checkOpen();
    const f = this.core.fds;
    const pair = (t: { r: number; w: number } | null) =>
      t ? [mapFd(t.r, 'r'), mapFd(t.w, 'w')] : [-1, -1];
    return {
      type: 'mp.Queue',
      words: [
        mapFd(f.file, 'rw'),
        ...pair(f.mutex),
        ...pair(f.notEmpty),
        ...pair(f.notFull),
        ...pair(f.allDone),
      ],
      extra: { kind: this.kind, maxsize: this.core.maxsize },
    };
  }

  /** @internal May cross to a child process in its arguments. */
  get [PROCESS_SHARED](): boolean {
    return true;
  }

  /** A short description: `<Queue maxsize=0>`. */
  toString(): string {
    return `<${this.kind} maxsize=${this.core.maxsize}${this.#closed ? ' closed' : ''}>`;
  }

  /** Shown by `console.log`. */
  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * A process queue (Python's `multiprocessing.Queue`): `put`/`get` with `block` and `timeout`
 * (seconds) as `queue.Queue`, `Empty`/`Full` from core. `put` never waits for a reader
 * (only for room, when `maxsize > 0`).
 */
export class Queue extends BaseQueue {
  constructor(maxsize = 0) {
    super(maxsize, new.target === JoinableQueue);
  }

  /** @internal Which queue class this is (travels in the descriptor). */
  protected get kind(): Kind {
    return 'Queue';
  }

  /** The bound given at creation (0 = unbounded). */
  get maxsize(): number {
    return this.core.maxsize;
  }

  /** Whether the queue is full (never, when unbounded). */
  full(): boolean {
    return this.maxsize > 0 && this.qsize() >= this.maxsize;
  }

  /**
   * Put `obj` in the queue. When full: wait for room if `block` (until `timeout` seconds, then
   * Full), else throw Full at once.
   */
  put(obj: unknown, block?: boolean | QueueWaitOptions, timeout?: number | null): void {
    const a = queueWaitArgs(block, timeout);
    const bytes = this.encode(obj);
    this.core.put(bytes, deadlineFor(a.block, a.timeout, this.maxsize > 0));
  }

  /** `put(obj, false)`. */
  putNowait(obj: unknown): void {
    this.put(obj, false);
  }

  /**
   * Remove and return the oldest item, waiting for one if `block` (until `timeout` seconds,
   * then Empty), else throwing Empty at once.
   */
  get(block?: boolean | QueueWaitOptions, timeout?: number | null): any {
    const a = queueWaitArgs(block, timeout);
    this.checkOpen();
    return decodeMessage(this.core.get(deadlineFor(a.block, a.timeout)));
  }

  /** `get(false)`. */
  getNowait(): unknown {
    return this.get(false);
  }

  /** Async twin of {@link put}: waits for room on the event loop. */
  async putAsync(
    obj: unknown,
    block?: boolean | QueueWaitOptions,
    timeout?: number | null,
    options?: QueueWaitOptions,
  ): Promise<void> {
    const a = queueWaitArgs(block, timeout, options);
    const bytes = this.encode(obj);
    await this.core.putAsync(bytes, deadlineFor(a.block, a.timeout, this.maxsize > 0), a.signal);
  }

  /** Async twin of {@link get}: waits for an item on the event loop. */
  async getAsync(
    block?: boolean | QueueWaitOptions,
    timeout?: number | null,
    options?: QueueWaitOptions,
  ): Promise<any> {
    const a = queueWaitArgs(block, timeout, options);
    this.checkOpen();
    return decodeMessage(await this.core.getAsync(deadlineFor(a.block, a.timeout), a.signal));
  }

  /**
   * Python waits at exit for its feeder thread to flush buffered items; this queue has no
   * feeder (items are written by `put` itself), so there is nothing to wait for.
   */
  joinThread(): void {}

  /** Python's `cancel_join_thread()`; nothing to cancel here (see {@link joinThread}). */
  cancelJoinThread(): void {}
}

/** A process queue with `taskDone()` and `join()` (Python's `multiprocessing.JoinableQueue`). */
export class JoinableQueue extends Queue {
  /** @internal Which queue class this is (travels in the descriptor). */
  protected override get kind(): Kind {
    return 'JoinableQueue';
  }

  /**
   * Mark one item taken with `get()` as processed. Throws
   * `ValueError('task_done() called too many times')` when there is none left.
   */
  taskDone(): void {
    this.checkOpen();
    this.core.taskDone();
  }

  /** The number of items put and not yet marked done. */
  get unfinishedTasks(): number {
    this.checkOpen();
    return this.core.unfinishedTasks();
  }

  /** Block until every item ever put has been marked done with `taskDone()`. */
  join(): void {
    this.checkOpen();
    this.core.join();
  }

  /** Async twin of {@link join}. */
  async joinAsync(options?: QueueWaitOptions): Promise<void> {
    this.checkOpen();
    await this.core.joinAsync(options?.signal);
  }
}

/** An unbounded process queue with only `put`, `get`, `empty` (Python's `multiprocessing.SimpleQueue`). */
export class SimpleQueue extends BaseQueue {
  constructor() {
    super(0, false);
  }

  /** @internal Which queue class this is (travels in the descriptor). */
  protected get kind(): Kind {
    return 'SimpleQueue';
  }

  /** Put `obj` in the queue (never waits). */
  put(obj: unknown): void {
    this.core.put(this.encode(obj), null);
  }

  /**
   * Remove and return the oldest item, waiting for one. (`block`/`timeout` as Queue's, beyond
   * Python's SimpleQueue, whose `get()` only blocks.)
   */
  get(block?: boolean | QueueWaitOptions, timeout?: number | null): any {
    const a = queueWaitArgs(block, timeout);
    this.checkOpen();
    return decodeMessage(this.core.get(deadlineFor(a.block, a.timeout)));
  }

  /** Async twin of {@link get}. */
  async getAsync(
    block?: boolean | QueueWaitOptions,
    timeout?: number | null,
    options?: QueueWaitOptions,
  ): Promise<any> {
    const a = queueWaitArgs(block, timeout, options);
    this.checkOpen();
    return decodeMessage(await this.core.getAsync(deadlineFor(a.block, a.timeout), a.signal));
  }
}

function revive(d: SharedDescriptor): object {
  const [file, mr, mw, er, ew, fr, fw, ar, aw] = d.words.map(fdOf);
  const { kind, maxsize } = d.extra as { kind: Kind; maxsize: number };
  const fds: QueueFds = {
    file,
    mutex: { r: mr, w: mw },
    notEmpty: { r: er, w: ew },
    notFull: fr >= 0 ? { r: fr, w: fw } : null,
    allDone: ar >= 0 ? { r: ar, w: aw } : null,
  };
  const core = new ProcessQueueCore(fds, maxsize);
  const cls =
    kind === 'JoinableQueue' ? JoinableQueue : kind === 'SimpleQueue' ? SimpleQueue : Queue;
  return attach<object>({ core } satisfies Revival, () => new cls());
}

registerSharedType('mp.Queue', revive);
