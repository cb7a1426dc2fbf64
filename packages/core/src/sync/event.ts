/**
 * `threading.Event`: a flag word and a generation word in the arena. Waiters park on the
 * generation, which `set()` bumps on every unset → set transition; a waiter that sees the
 * generation move returns true even if `clear()` ran before it woke (CPython's guarantee).
 */

import { EVENT_WAIT, parkedIn } from '../diagnostics/blocked.js';
import { wordsFor } from '../memory/views.js';
import { countedWait, countedWaitAsync } from '../parking/counted-wait.js';
import { futexWake } from '../parking/futex.js';
import { attach, takeAttached } from '../shared/attach.js';
import { createShared, defineLifetime, OBJECT_HEADER, SHARED_REF } from '../shared/lifetime.js';
import { registerSharedType, SHARED, type SharedDescriptor } from '../shared/protocol.js';
import { waitDeadline } from '../timeout.js';
import { type WaitOptions, waitArgs } from './wait-args.js';

const FLAG = 0;
const GENERATION = 1;
const WAITERS = 2;
const EVENT = defineLifetime('Event');

/**
 * An event (`threading.Event`): threads wait until some thread sets the flag.
 * Shared: pass it to threads; it arrives as the same event.
 */
export class Event {
  /** Word index of `[flag, generation, waiters]`. */
  readonly #w: number;

  constructor(...noArgs: []) {
    const w = takeAttached<number>();
    if (w === undefined && noArgs.length > 0) throw new TypeError('Event() takes no arguments');
    this.#w = w ?? createShared(this, EVENT, 12) >> 2;
  }

  /** @internal This handle's lifetime ref (shared/lifetime.ts), known from its word. */
  get [SHARED_REF](): number {
    return this.#w * 4 - OBJECT_HEADER;
  }

  /** Whether the flag is set. */
  isSet(): boolean {
    return Atomics.load(wordsFor(this.#w + WAITERS), this.#w + FLAG) === 1;
  }

  /** Set the flag and wake every waiting thread. */
  set(): void {
    const i32 = wordsFor(this.#w + WAITERS);
    if (Atomics.exchange(i32, this.#w + FLAG, 1) === 1) return;
    Atomics.add(i32, this.#w + GENERATION, 1);
    // A waiter counts itself in before it reads the generation (parking/counted-wait.ts).
    if (Atomics.load(i32, this.#w + WAITERS) > 0) futexWake(this.#w + GENERATION);
  }

  /** Clear the flag: `wait()` blocks again until the next `set()`. */
  clear(): void {
    Atomics.store(wordsFor(this.#w + WAITERS), this.#w + FLAG, 0);
  }

  /**
   * Block until the flag is set, or until `timeout` seconds pass (`null` = forever, `<= 0` =
   * just look). Returns true if the flag was set (even if cleared again since), false on timeout.
   */
  wait(timeout?: number | null): boolean {
    const deadline = waitDeadline(timeout);
    const i32 = wordsFor(this.#w + WAITERS);
    const w = this.#w;
    const gen = Atomics.load(i32, w + GENERATION);
    // Read the generation before the flag: any set() after this read moves the generation.
    if (this.isSet()) return true;
    const moved = () => Atomics.load(i32, w + GENERATION) !== gen;
    for (;;) {
      const r = parkedIn(EVENT_WAIT, w, deadline !== Number.POSITIVE_INFINITY, () =>
        countedWait(w + WAITERS, w + GENERATION, moved, deadline),
      );
      if (Atomics.load(i32, w + GENERATION) !== gen) return true;
      if (r === 'timed-out') return this.isSet();
    }
  }

  /** Async twin of {@link wait}: waits without blocking the event loop. */
  async waitAsync(timeout?: number | null | WaitOptions, options?: WaitOptions): Promise<boolean> {
    const a = waitArgs(timeout, options);
    const deadline = waitDeadline(a.timeout);
    const i32 = wordsFor(this.#w + WAITERS);
    const w = this.#w;
    const gen = Atomics.load(i32, w + GENERATION);
    if (this.isSet()) return true;
    const moved = () => Atomics.load(i32, w + GENERATION) !== gen;
    for (;;) {
      const r = await countedWaitAsync(w + WAITERS, w + GENERATION, moved, deadline, a.signal);
      if (Atomics.load(i32, w + GENERATION) !== gen) return true;
      if (r === 'timed-out') return this.isSet();
    }
  }

  /** @internal How many threads (or async waits) are waiting (for tests). */
  get _nWaiters(): number {
    return Atomics.load(wordsFor(this.#w + WAITERS), this.#w + WAITERS);
  }

  /** @internal The shared-object description. */
  [SHARED](): SharedDescriptor {
    return { type: 'Event', words: [this.#w] };
  }

  /** Like CPython's repr: `<threadkit.Event at 0x…: set>` or `unset>`. */
  toString(): string {
    return `<threadkit.Event at 0x${(this.#w * 4).toString(16)}: ${this.isSet() ? 'set' : 'unset'}>`;
  }
}

registerSharedType('Event', (d) => attach(d.words[0], () => new Event()));
