/**
 * `threading.Lock`: one futex word in the arena (the shape of parking_lot's raw mutex).
 * 0 = unlocked, 1 = locked, 2 = locked and someone may be parked. Any thread may release it.
 */
import { RuntimeError } from '../errors.js';
import { attach, takeAttached } from '../internal/attach.js';
import { createShared, defineLifetime } from '../shared/lifetime.js';
import { registerSharedType, SHARED, type SharedDescriptor } from '../shared/protocol.js';
import { wordsFor } from '../shared/views.js';
import { type Deadline, lockDeadline } from '../timeout.js';
import { type AcquireOptions, acquireArgs } from './acquire-args.js';
import { futexWait, futexWaitAsync, futexWake } from './futex.js';
import { type Held, holdAsync, holdSync, withLock } from './lockable.js';

const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;
const SPINS = 100;
/** Reclaimed when unreachable (shared/lifetime.ts); a Lock owns nothing else. */
const LOCK = defineLifetime('Lock');

// This module's own fixed view of the arena, checked inline on the Lock's fast paths (a
// function call per acquire is a fifth of its cost); see wordsFor().
let WORDS: Int32Array = new Int32Array(0);

/** Try to take the futex lock at word `w` without parking. */
export function tryLockWord(i32: Int32Array, w: number): boolean {
  return Atomics.compareExchange(i32, w, UNLOCKED, LOCKED) === UNLOCKED;
}

/** Take the futex lock at word `w`, parking until `deadline`. Returns false on timeout. */
export function lockWord(w: number, deadline: Deadline | null): boolean {
  const i32 = wordsFor(w);
  if (Atomics.compareExchange(i32, w, UNLOCKED, LOCKED) === UNLOCKED) return true;
  if (deadline === null) return false;
  for (let k = 0; k < SPINS; k++) {
    if (
      Atomics.load(i32, w) === UNLOCKED &&
      Atomics.compareExchange(i32, w, UNLOCKED, LOCKED) === UNLOCKED
    ) {
      return true;
    }
  }
  for (;;) {
    if (Atomics.exchange(i32, w, CONTENDED) === UNLOCKED) return true;
    if (futexWait(w, CONTENDED, deadline) === 'timed-out') {
      // One last try, so a release racing with our timeout is not lost.
      return Atomics.compareExchange(i32, w, UNLOCKED, CONTENDED) === UNLOCKED;
    }
  }
}

/** Async twin of {@link lockWord}. */
export async function lockWordAsync(
  w: number,
  deadline: Deadline | null,
  signal?: AbortSignal,
): Promise<boolean> {
  const i32 = wordsFor(w);
  if (Atomics.compareExchange(i32, w, UNLOCKED, LOCKED) === UNLOCKED) return true;
  if (deadline === null) return false;
  for (;;) {
    if (Atomics.exchange(i32, w, CONTENDED) === UNLOCKED) return true;
    if ((await futexWaitAsync(w, CONTENDED, deadline, signal)) === 'timed-out') {
      return Atomics.compareExchange(i32, w, UNLOCKED, CONTENDED) === UNLOCKED;
    }
  }
}

/** Release the futex lock at word `w`; false if it was not locked. */
export function unlockWord(w: number): boolean {
  const i32 = wordsFor(w);
  // Fast path: locked and uncontended.
  if (Atomics.compareExchange(i32, w, LOCKED, UNLOCKED) === LOCKED) return true;
  for (;;) {
    const cur = Atomics.load(i32, w);
    if (cur === UNLOCKED) return false;
    if (Atomics.compareExchange(i32, w, cur, UNLOCKED) === cur) {
      if (cur === CONTENDED) futexWake(w, 1);
      return true;
    }
  }
}

/**
 * A primitive lock (`threading.Lock`). Not re-entrant; any thread may release it.
 * Shared: pass it to threads, put it on queues; it arrives as the same lock.
 */
export class Lock {
  /** Word index of the futex word in the arena. */
  readonly #w: number;

  constructor(...noArgs: []) {
    const w = takeAttached<number>();
    // As CPython 3.13's Lock, a final class: a subclass would not survive crossing threads.
    if (new.target !== Lock) throw new TypeError("type 'Lock' is not an acceptable base type");
    if (w === undefined && noArgs.length > 0) throw new TypeError('Lock() takes no arguments');
    this.#w = w ?? createShared(this, LOCK, 4) >> 2;
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
      const words = w < WORDS.length ? WORDS : (WORDS = wordsFor(w));
      if (Atomics.compareExchange(words, w, UNLOCKED, LOCKED) === UNLOCKED) return true;
      return lockWord(w, Number.POSITIVE_INFINITY);
    }
    const a = acquireArgs(blocking, timeout);
    return lockWord(w, lockDeadline(a.blocking, a.timeout));
  }

  /** Async twin of {@link acquire}: waits without blocking the event loop. */
  acquireAsync(blocking?: boolean | AcquireOptions, timeout?: number | null): Promise<boolean> {
    try {
      const a = acquireArgs(blocking, timeout);
      return lockWordAsync(this.#w, lockDeadline(a.blocking, a.timeout), a.signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Release the lock. Throws `RuntimeError('release unlocked lock')` if it is not held. */
  release(): void {
    const w = this.#w;
    const words = w < WORDS.length ? WORDS : (WORDS = wordsFor(w));
    if (Atomics.compareExchange(words, w, LOCKED, UNLOCKED) === LOCKED) return; // fast path
    if (!unlockWord(w)) throw new RuntimeError('release unlocked lock');
  }

  /** Whether the lock is held (by any thread). */
  locked(): boolean {
    return Atomics.load(wordsFor(this.#w), this.#w) !== UNLOCKED;
  }

  /** `with lock:` — `using _ = lock.hold()`. */
  hold(): Held {
    return holdSync(this);
  }

  /** `async with`-style: `await using _ = await lock.holdAsync()`. */
  holdAsync(options?: { signal?: AbortSignal }): Promise<Held> {
    return holdAsync(this, options?.signal);
  }

  /** Run `fn` holding the lock; returns its result and releases even if it throws. */
  withLock<R>(fn: () => R): R {
    return withLock(this, fn);
  }

  /** @internal The shared-object description. */
  [SHARED](): SharedDescriptor {
    return { t: 'Lock', p: [this.#w] };
  }

  toString(): string {
    return `<${this.locked() ? 'locked' : 'unlocked'} threadkit.Lock object>`;
  }
}

registerSharedType('Lock', (d) => attach(d.p[0], () => new Lock()));
