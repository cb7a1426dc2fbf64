/**
 * `threading.Lock`: the raw word lock of parking/word-lock.ts with Python's surface, its
 * fast paths inlined. Any thread may release it.
 */

import { LOCK_ACQUIRE } from '../diagnostics/blocked.js';
import { noteHolder } from '../diagnostics/holders.js';
import { lockSlowly } from '../diagnostics/parking.js';
import { RuntimeError } from '../errors.js';
import { wordsFor } from '../memory/views.js';
import { current, reportingIdent } from '../parking/current-thread.js';
import { LOCKED, lockWordAsync, UNLOCKED, unlockWord } from '../parking/word-lock.js';
import { attach, takeAttached } from '../shared/attach.js';
import { createShared, defineLifetime, OBJECT_HEADER, SHARED_REF } from '../shared/lifetime.js';
import { registerSharedType, SHARED, type SharedDescriptor } from '../shared/protocol.js';
import { lockDeadline } from '../timeout.js';
import { type AcquireOptions, acquireArgs } from './acquire-args.js';
import { Lockable } from './lockable.js';

/** Reclaimed when unreachable (shared/lifetime.ts); a Lock owns nothing else. */
const LOCK = defineLifetime('Lock', { listed: true });

// This module's own fixed view of the arena, checked inline on the Lock's fast paths (a
// function call per acquire is a fifth of its cost); see wordsFor().
let WORDS: Int32Array = new Int32Array(0);

/**
 * A primitive lock (`threading.Lock`). Not re-entrant; any thread may release it.
 * Shared: pass it to threads, put it on queues; it arrives as the same lock.
 */
export class Lock extends Lockable {
  /** Word index of the futex word in the arena. */
  readonly #w: number;

  constructor(...noArgs: []) {
    super();
    const w = takeAttached<number>();
    // As CPython 3.13's Lock, a final class: a subclass would not survive crossing threads.
    if (new.target !== Lock) throw new TypeError("type 'Lock' is not an acceptable base type");
    if (w === undefined && noArgs.length > 0) throw new TypeError('Lock() takes no arguments');
    // Two words: the futex word and the acquirer's ident (for dumps and deadlock reports).
    this.#w = w ?? createShared(this, LOCK, 8) >> 2;
  }

  /** @internal This handle's lifetime ref (shared/lifetime.ts), known from its word. */
  get [SHARED_REF](): number {
    return this.#w * 4 - OBJECT_HEADER;
  }

  /**
   * Acquire the lock, blocking the calling thread. `timeout` is in seconds; `-1` waits
   * forever. Returns true if acquired, false on timeout or when `blocking` is false and the
   * lock is held.
   */
  acquire(blocking?: boolean | AcquireOptions, timeout?: number | null): boolean {
    const w = this.#w;
    if (blocking === undefined && timeout === undefined) {
      // `acquire()`, the common case: no argument parsing, no deadline.
      const words = w + 1 < WORDS.length ? WORDS : (WORDS = wordsFor(w + 1));
      if (Atomics.compareExchange(words, w, UNLOCKED, LOCKED) === UNLOCKED) {
        // The acquirer, always (a plain store: readers only need it eventually; ≈2 % of
        // this path, measured): dumps and findDeadlocks() name a Lock's holder.
        words[w + 1] = current.ident || reportingIdent();
        return true;
      }
      return lockSlowly(LOCK_ACQUIRE, w, Number.POSITIVE_INFINITY);
    }
    const a = acquireArgs(blocking, timeout);
    return lockSlowly(LOCK_ACQUIRE, w, lockDeadline(a.blocking, a.timeout));
  }

  /** Async twin of {@link acquire}: waits without blocking the event loop. */
  acquireAsync(blocking?: boolean | AcquireOptions, timeout?: number | null): Promise<boolean> {
    try {
      const a = acquireArgs(blocking, timeout);
      const got = lockWordAsync(this.#w, lockDeadline(a.blocking, a.timeout), a.signal);
      return got.then((ok) => {
        if (ok) noteHolder(this.#w);
        return ok;
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Release the lock. Throws `RuntimeError('release unlocked lock')` if it is not held. */
  release(): void {
    const w = this.#w;
    const words = w + 1 < WORDS.length ? WORDS : (WORDS = wordsFor(w + 1));
    // Forget the acquirer before unlocking: the next acquirer's compare-exchange comes before
    // its store, and in between a stale ident would name this thread as the holder (a false
    // "ended holding" note when it ends just then).
    words[w + 1] = 0;
    if (Atomics.compareExchange(words, w, LOCKED, UNLOCKED) === LOCKED) return; // fast path
    if (!unlockWord(w)) throw new RuntimeError('release unlocked lock');
  }

  /** Whether the lock is held (by any thread). */
  locked(): boolean {
    return Atomics.load(wordsFor(this.#w), this.#w) !== UNLOCKED;
  }

  /** @internal The shared-object description. */
  [SHARED](): SharedDescriptor {
    return { type: 'Lock', words: [this.#w] };
  }

  override toString(): string {
    return `<${this.locked() ? 'locked' : 'unlocked'} threadkit.Lock object>`;
  }
}

registerSharedType('Lock', (d) => attach(d.words[0], () => new Lock()));
