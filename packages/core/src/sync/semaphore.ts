/**
 * `threading.Semaphore`: a counter in one arena word that threads take with compare-exchange
 * and park on (futex) while it is zero, its top bit set while someone may be parked
 * (parking/flagged-count.ts: `release` learns from its one `Atomics.add` whether it must
 * wake anyone), a count of parked threads, the bound of a BoundedSemaphore (-1 when
 * unbounded), and, with diagnostics on, who holds the permits (permits.ts). Uncontended,
 * `acquire()` is one compare-exchange and `release()` one add.
 */
import { parkedIn, SEMAPHORE_ACQUIRE } from '../diagnostics/blocked.js';
import { diagnostics } from '../diagnostics/switch.js';
import { OverflowError, ValueError } from '../errors.js';
import { arena } from '../memory/arena.js';
import { wordsFor } from '../memory/views.js';
import { COUNT_MASK, waitForCount, waitForCountAsync } from '../parking/flagged-count.js';
import { futexWake } from '../parking/futex.js';
import { attach, takeAttached } from '../shared/attach.js';
import { createShared, defineLifetime, OBJECT_HEADER, SHARED_REF } from '../shared/lifetime.js';
import { registerSharedType, SHARED, type SharedDescriptor } from '../shared/protocol.js';
import { type Deadline, semaphoreDeadline } from '../timeout.js';
import { type AcquireOptions, acquireArgs } from './acquire-args.js';
import { Lockable } from './lockable.js';
import { notePermitsGiven, notePermitsTaken, PERMIT_WORDS, SEMAPHORE_PERMITS } from './permits.js';

const VALUE = 0;
const WAITERS = 1;
const BOUND = 2;

const UNBOUNDED = -1;

// This module's own fixed view of the arena, checked inline on the fast paths (as Lock's).
let WORDS: Int32Array = new Int32Array(0);

function wordsOf(w: number): Int32Array {
  const end = w + SEMAPHORE_PERMITS + PERMIT_WORDS - 1;
  return end < WORDS.length ? WORDS : (WORDS = wordsFor(end));
}
const INT32_MAX = 0x7fffffff;
/**
 * Above this count `release()` leaves its one-add path for the exact compare-exchange loop,
 * so concurrent adds can never carry into the flag bit before the loop sees the overflow.
 */
const FAST_RELEASE_MAX = INT32_MAX - 0x10000;
const SEMAPHORE = defineLifetime('Semaphore', { listed: true });
const BOUNDED = defineLifetime('BoundedSemaphore', { listed: true });

function checkInitial(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`semaphore initial value must be an integer, not ${typeof value}`);
  }
  if (value < 0) throw new ValueError('semaphore initial value must be >= 0');
  if (value > INT32_MAX) throw new OverflowError(`semaphore initial value must be <= ${INT32_MAX}`);
  return value;
}

/**
 * A semaphore (`threading.Semaphore`): `acquire()` takes one unit, blocking while there is
 * none; `release(n)` gives `n` back. Shared: pass it to threads; it arrives as the same one.
 */
export class Semaphore extends Lockable {
  /** Word index of `[value, waiters, bound, ...permits block]`. */
  readonly #w: number;

  /** `value` (default 1) is the initial count; negative → `ValueError`. */
  constructor(value = 1) {
    super();
    const w = takeAttached<number>();
    if (w !== undefined) {
      this.#w = w;
      return;
    }
    const initial = checkInitial(value);
    this.#w =
      createShared(
        this,
        (new.target as typeof Semaphore)._bounded ? BOUNDED : SEMAPHORE,
        (SEMAPHORE_PERMITS + PERMIT_WORDS) * 4,
      ) >> 2;
    const i32 = arena().i32;
    i32[this.#w + VALUE] = initial;
    // A BoundedSemaphore remembers its initial value as its bound.
    i32[this.#w + BOUND] = (new.target as typeof Semaphore)._bounded ? initial : UNBOUNDED;
  }

  /** @internal This handle's lifetime ref (shared/lifetime.ts), known from its word. */
  get [SHARED_REF](): number {
    return this.#w * 4 - OBJECT_HEADER;
  }

  /** @internal Whether instances of this class are bounded. */
  static readonly _bounded: boolean = false;

  /**
   * Take one unit, blocking the calling thread while the count is zero. `timeout` (seconds,
   * `null` = forever, `<= 0` = just try) bounds the wait. Returns true if taken, false on
   * timeout or when `blocking` is false and the count is zero.
   */
  acquire(blocking?: boolean | AcquireOptions, timeout?: number | null): boolean {
    if (blocking === undefined && timeout === undefined) {
      // `acquire()`, the common case: take a free unit without parsing arguments.
      const w = this.#w;
      const i32 = wordsOf(w);
      // A plain read is only a guess (the compare-exchange checks it); > 0 also means that
      // nobody is parked (the flag is the sign bit).
      const v = i32[w + VALUE];
      if (v > 0 && Atomics.compareExchange(i32, w + VALUE, v, v - 1) === v) {
        if (diagnostics.on) notePermitsTaken(w + SEMAPHORE_PERMITS);
        return true;
      }
    }
    const a = acquireArgs(blocking, timeout);
    const deadline = semaphoreDeadline(a.blocking, a.timeout);
    if (this.#tryTake()) return true;
    if (deadline === null) return false;
    const w = this.#w;
    for (;;) {
      const r = parkedIn(SEMAPHORE_ACQUIRE, w, deadline !== Number.POSITIVE_INFINITY, () =>
        waitForCount(w + WAITERS, w + VALUE, deadline),
      );
      if (r === 'timed-out') return this.#tryTake();
      if (this.#tryTake()) return true;
    }
  }

  /** Async twin of {@link acquire}: waits without blocking the event loop. */
  async acquireAsync(
    blocking?: boolean | AcquireOptions,
    timeout?: number | null,
  ): Promise<boolean> {
    const a = acquireArgs(blocking, timeout);
    const deadline: Deadline | null = semaphoreDeadline(a.blocking, a.timeout);
    if (this.#tryTake()) return true;
    if (deadline === null) return false;
    const w = this.#w;
    for (;;) {
      const r = await waitForCountAsync(w + WAITERS, w + VALUE, deadline, a.signal);
      if (r === 'timed-out') return this.#tryTake();
      if (this.#tryTake()) return true;
    }
  }

  /**
   * Give back `n` units (default 1) and wake up to `n` waiting threads. `n < 1` →
   * `ValueError('n must be one or more')`; on a BoundedSemaphore, going above the initial
   * value → `ValueError('Semaphore released too many times')` and the count is unchanged.
   */
  release(n = 1): void {
    const w = this.#w;
    const i32 = wordsOf(w);
    let noted = false;
    if (n === 1 && i32[w + BOUND] === UNBOUNDED) {
      // `release()` of a plain Semaphore, the common case: one add, whose old value says
      // whether anyone may be parked (the flag) and whether the count is near overflow.
      if (diagnostics.on) notePermitsGiven(w + SEMAPHORE_PERMITS, 1);
      noted = true;
      const old = Atomics.add(i32, w + VALUE, 1);
      if ((old & COUNT_MASK) < FAST_RELEASE_MAX) {
        if (old < 0) futexWake(w + VALUE, 1);
        return;
      }
      Atomics.sub(i32, w + VALUE, 1); // near overflow: undo, then the exact loop below
    } else {
      if (typeof n !== 'number' || !Number.isInteger(n)) {
        throw new TypeError(`n must be an integer, not ${typeof n}`);
      }
      if (n < 1) throw new ValueError('n must be one or more');
    }
    const bound = i32[w + BOUND];
    let v: number;
    for (;;) {
      v = Atomics.load(i32, w + VALUE);
      const count = v & COUNT_MASK;
      if (bound !== UNBOUNDED && count + n > bound)
        throw new ValueError('Semaphore released too many times');
      if (count + n > INT32_MAX) throw new OverflowError('semaphore value is too large');
      // `v + n` keeps the flag: the count's bits do not carry into it (checked just above).
      if (Atomics.compareExchange(i32, w + VALUE, v, v + n) === v) break;
    }
    if (diagnostics.on && !noted) notePermitsGiven(w + SEMAPHORE_PERMITS, n);
    // The flag in the value replaced: a waiter either sees the new count or set it first.
    if (v < 0) futexWake(w + VALUE, n);
  }

  /** @internal The current count (for tests and `toString`). */
  get _value(): number {
    return Atomics.load(arena().i32, this.#w + VALUE) & COUNT_MASK;
  }

  /** @internal How many threads (or async waits) are waiting (for tests). */
  get _nWaiters(): number {
    return Atomics.load(arena().i32, this.#w + WAITERS);
  }

  /** @internal The shared-object description. */
  [SHARED](): SharedDescriptor {
    const bounded = arena().i32[this.#w + BOUND] !== UNBOUNDED;
    return { type: bounded ? 'BoundedSemaphore' : 'Semaphore', words: [this.#w] };
  }

  /** Like CPython's repr: `<threadkit.Semaphore at 0x…: value=N>` (`value=N/MAX` when bounded). */
  override toString(): string {
    const bound = arena().i32[this.#w + BOUND];
    const name = bound === UNBOUNDED ? 'Semaphore' : 'BoundedSemaphore';
    const value = bound === UNBOUNDED ? `${this._value}` : `${this._value}/${bound}`;
    return `<threadkit.${name} at 0x${(this.#w * 4).toString(16)}: value=${value}>`;
  }

  #tryTake(): boolean {
    const i32 = wordsOf(this.#w);
    for (;;) {
      const v = Atomics.load(i32, this.#w + VALUE);
      if ((v & COUNT_MASK) === 0) return false;
      // The count is >= 1, so `v - 1` leaves the flag as it is.
      if (Atomics.compareExchange(i32, this.#w + VALUE, v, v - 1) === v) {
        if (diagnostics.on) notePermitsTaken(this.#w + SEMAPHORE_PERMITS);
        return true;
      }
    }
  }
}

registerSharedType('Semaphore', (d) => attach(d.words[0], () => new Semaphore()));
