/**
 * Python's `queue.Queue`, `LifoQueue` and `PriorityQueue` (docs/CPYTHON.md §1.2), as shared
 * objects: pass one to a thread, or put it on another queue, and it arrives as the same queue.
 */
import { attach, takeAttached } from '../shared/attach.js';
import { defineLifetime } from '../shared/lifetime.js';
import { registerSharedType, SHARED, type SharedDescriptor } from '../shared/protocol.js';
import { encodeFunction, type TargetSpec } from '../targets/target.js';
import { describe } from '../timeout.js';
import { type QueueWaitOptions, waitArgs } from './args.js';
import { FIFO, freeQueue, LIFO, PRIORITY, QueueCore } from './core.js';
import { type Comparator, Heap } from './heap.js';

const KIND = Symbol('threadkit.queueKind');
/** Reclaimed with their items when unreachable; one type tag per storage discipline. */
const TAGS = [
  defineLifetime('Queue', { free: freeQueue }),
  defineLifetime('LifoQueue', { free: freeQueue }),
  defineLifetime('PriorityQueue', { free: freeQueue }),
];

function checkMaxsize(maxsize: unknown): number {
  if (maxsize == null) return 0;
  if (typeof maxsize !== 'number' || Number.isNaN(maxsize)) {
    throw new TypeError(`maxsize must be a number, not ${describe(maxsize)}`);
  }
  return maxsize;
}

let coreOf: (q: Queue) => QueueCore;

/**
 * A FIFO queue (`queue.Queue`), safe between threads. `maxsize <= 0` means unbounded; the
 * storage grows as needed, so only `maxsize` ever makes `put()` wait.
 *
 * Items are copied (structured clone semantics, docs/CONTRACT.md §2), except shared objects — locks,
 * queues, events… — which arrive working. Functions and class instances are rejected at
 * `put()` with a `DataCloneError` naming the offending path.
 */
export class Queue {
  /** @internal Storage discipline of this class. */
  static [KIND] = FIFO;
  readonly #core: QueueCore;

  static {
    coreOf = (q) => q.#core;
  }

  /** @param maxsize upper bound on the number of items; `<= 0` (the default) is unbounded. */
  constructor(maxsize = 0) {
    const h = takeAttached<number>();
    if (h !== undefined) {
      this.#core = new QueueCore(h);
    } else {
      const kind = (new.target as typeof Queue)[KIND];
      this.#core = QueueCore.create(this, TAGS[kind], kind, checkMaxsize(maxsize));
    }
    if (this.#core.kind === PRIORITY) this.#core.heap = new Heap();
  }

  /** The bound given to the constructor; may be changed at any time, as in Python. */
  get maxsize(): number {
    return this.#core.maxsize;
  }

  /** Change the bound; honoured at once, as Python's mutable `maxsize`. */
  set maxsize(value: number) {
    this.#core.maxsize = checkMaxsize(value);
  }

  /** Items put but not yet marked done with {@link taskDone}. */
  get unfinishedTasks(): number {
    return this.#core.unfinishedTasks;
  }

  /** Whether {@link shutdown} was called. */
  get isShutdown(): boolean {
    return this.#core.isShutdown;
  }

  /** Approximate number of items (other threads may change it at any moment). */
  qsize(): number {
    return this.#core.qsize();
  }

  /** Whether the queue is empty (approximately, as `qsize() === 0`). */
  empty(): boolean {
    return this.#core.qsize() === 0;
  }

  /** Whether the queue is full; always false when unbounded. */
  full(): boolean {
    return this.#core.full();
  }

  /**
   * Put `item`, blocking the calling thread while the queue is full. With `block = false`,
   * or after `timeout` seconds, throws `Full`. Throws `ShutDown` once the queue is shut down.
   * Negative timeouts are a `ValueError` (on bounded queues, as in CPython).
   */
  put(item: unknown, block?: boolean | QueueWaitOptions, timeout?: number | null): void {
    this.#core.put(item, waitArgs(block, timeout));
  }

  /** `put(item, false)`: throws `Full` at once if there is no room. */
  putNowait(item: unknown): void {
    this.#core.put(item, waitArgs(false, null));
  }

  /** Async twin of {@link put}: waits without blocking the event loop; accepts `{ signal }`. */
  putAsync(
    item: unknown,
    block?: boolean | QueueWaitOptions,
    timeout?: number | null,
    options?: QueueWaitOptions,
  ): Promise<void> {
    try {
      return this.#core.putAsync(item, waitArgs(block, timeout, options));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Remove and return the next item, blocking the calling thread while the queue is empty.
   * With `block = false`, or after `timeout` seconds, throws `Empty`. Once the queue is shut
   * down, remaining items are still returned, then `ShutDown` is thrown (at once after an
   * immediate shutdown).
   */
  get(block?: boolean | QueueWaitOptions, timeout?: number | null): any {
    return this.#core.get(waitArgs(block, timeout));
  }

  /** `get(false)`: throws `Empty` at once if there is no item. */
  getNowait(): any {
    return this.#core.get(waitArgs(false, null));
  }

  /** Async twin of {@link get}: waits without blocking the event loop; accepts `{ signal }`. */
  getAsync(
    block?: boolean | QueueWaitOptions,
    timeout?: number | null,
    options?: QueueWaitOptions,
  ): Promise<any> {
    try {
      return this.#core.getAsync(waitArgs(block, timeout, options));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Mark one fetched item as processed; when every put item is done, `join()` returns.
   * Throws `ValueError('task_done() called too many times')` when nothing is pending.
   */
  taskDone(): void {
    this.#core.taskDone();
  }

  /** Block the calling thread until every item put has been marked done with {@link taskDone}. */
  join(): void {
    this.#core.join();
  }

  /** Async twin of {@link join}; accepts `{ signal }`. */
  joinAsync(options?: { signal?: AbortSignal }): Promise<void> {
    return this.#core.joinAsync(options?.signal);
  }

  /**
   * Shut the queue down: `put()` throws `ShutDown` from now on, `get()` drains the remaining
   * items then throws it; blocked putters and getters (in any thread) wake up and throw.
   * With `immediate`, the items are discarded (each counting as done, so `join()` returns)
   * and `get()` throws at once.
   */
  shutdown(immediate: boolean | { immediate?: boolean } = false): void {
    const flag =
      immediate !== null && typeof immediate === 'object' ? immediate.immediate : immediate;
    this.#core.shutdown(Boolean(flag));
  }

  /** @internal The shared-object description. */
  [SHARED](): SharedDescriptor {
    const core = this.#core;
    const t = core.kind === FIFO ? 'Queue' : core.kind === LIFO ? 'LifoQueue' : 'PriorityQueue';
    const spec = core.heap?.spec;
    return spec ? { type: t, words: [core.h], extra: spec } : { type: t, words: [core.h] };
  }

  /** How `console.log` shows it. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** A Python-style repr. */
  toString(): string {
    return `<threadkit.${this.constructor.name} maxsize=${this.maxsize} qsize=${this.qsize()}>`;
  }
}

/** A LIFO queue (`queue.LifoQueue`): the most recently put item is got first. */
export class LifoQueue extends Queue {
  /** @internal */
  static override [KIND] = LIFO;
}

/** Options of {@link PriorityQueue}. */
export interface PriorityQueueOptions {
  /** Upper bound on the number of items; `<= 0` (the default) is unbounded. */
  maxsize?: number;
  /**
   * Order items with this function instead of Python's `<` (negative: `a` first). It runs in
   * every thread that puts or gets, so it is a thread target (docs/CONTRACT.md §2): a self-contained
   * inline function, or one made with `threadable(import.meta.url, fn)`.
   */
  comparator?: Comparator;
}

/**
 * A priority queue (`queue.PriorityQueue`): the lowest item is got first. Items are ordered
 * as Python orders them — numbers, strings, and arrays element by element (`[priority,
 * data]`) — or by a comparator. Items that cannot be compared throw a TypeError such as
 * "'<' not supported between instances of 'dict' and 'dict'".
 */
export class PriorityQueue extends Queue {
  /** @internal */
  static override [KIND] = PRIORITY;

  /** `new PriorityQueue(maxsize?, { comparator? })` or `new PriorityQueue({ maxsize, comparator })`. */
  constructor(maxsize?: number | PriorityQueueOptions, options?: PriorityQueueOptions) {
    const opts = maxsize !== null && typeof maxsize === 'object' ? maxsize : options;
    super(typeof maxsize === 'object' && maxsize !== null ? (maxsize.maxsize ?? 0) : maxsize);
    if (opts?.comparator !== undefined) {
      const spec = encodeFunction(opts.comparator, 'comparator');
      coreOf(this).heap = new Heap(opts.comparator, spec);
    }
  }
}

registerSharedType('Queue', (d) => attach(d.words[0], () => new Queue()));
registerSharedType('LifoQueue', (d) => attach(d.words[0], () => new LifoQueue()));
registerSharedType('PriorityQueue', (d) => {
  const q = attach(d.words[0], () => new PriorityQueue());
  if (d.extra) coreOf(q).heap = new Heap(null, d.extra as TargetSpec);
  return q;
});
