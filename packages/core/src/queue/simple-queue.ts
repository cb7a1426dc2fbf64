/**
 * Python's `queue.SimpleQueue`: an unbounded FIFO queue without task tracking or shutdown.
 * Shared between threads like {@link Queue}.
 */
import { attach, takeAttached } from '../shared/attach.js';
import { defineLifetime } from '../shared/lifetime.js';
import { registerSharedType, SHARED, type SharedDescriptor } from '../shared/protocol.js';
import { type QueueWaitOptions, waitArgs } from './args.js';
import { FIFO, freeQueue, QueueCore } from './core.js';

const SIMPLE_QUEUE = defineLifetime('SimpleQueue', { free: freeQueue });

/**
 * An unbounded FIFO queue (`queue.SimpleQueue`): `put()` never blocks; `get()` blocks the
 * calling thread until an item arrives (or throws `Empty` without `block`, or after
 * `timeout` seconds).
 */
export class SimpleQueue {
  readonly #core: QueueCore;

  constructor() {
    const h = takeAttached<number>();
    // biome-ignore lint/complexity/noArguments: Python's SimpleQueue() takes no arguments
    if (h === undefined && arguments.length > 0)
      throw new TypeError('SimpleQueue() takes no arguments');
    this.#core = h !== undefined ? new QueueCore(h) : QueueCore.create(this, SIMPLE_QUEUE, FIFO, 0);
    this.#core.simple = true; // unbounded, no shutdown: put and get skip those checks
  }

  /** Put `item`; never blocks (`block` and `timeout` are accepted and ignored, as in Python). */
  put(item: unknown, _block?: boolean | QueueWaitOptions, _timeout?: number | null): void {
    this.#core.put(item, waitArgs(false, null), false);
  }

  /** Same as {@link put}. */
  putNowait(item: unknown): void {
    this.#core.put(item, waitArgs(false, null), false);
  }

  /** Same as {@link put}, as a Promise (for symmetry with {@link Queue.putAsync}). */
  putAsync(item: unknown): Promise<void> {
    try {
      this.#core.put(item, waitArgs(false, null), false);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Remove and return the next item, blocking the calling thread while empty. With
   * `block = false`, or after `timeout` seconds, throws `Empty`; a negative timeout is a
   * `ValueError`.
   */
  get(block?: boolean | QueueWaitOptions, timeout?: number | null): any {
    return this.#core.get(waitArgs(block, timeout));
  }

  /** `get(false)`. */
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

  /** Approximate number of items. */
  qsize(): number {
    return this.#core.qsize();
  }

  /** Whether the queue is empty (approximately). */
  empty(): boolean {
    return this.#core.qsize() === 0;
  }

  /** @internal The shared-object description. */
  [SHARED](): SharedDescriptor {
    return { type: 'SimpleQueue', words: [this.#core.h] };
  }

  /** How `console.log` shows it. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** A Python-style repr. */
  toString(): string {
    return `<threadkit.SimpleQueue qsize=${this.qsize()}>`;
  }
}

registerSharedType('SimpleQueue', (d) => attach(d.words[0], () => new SimpleQueue()));
