/**
 * `threading.Condition`: a FIFO queue of per-waiter nodes in the arena (see `waiters.ts`)
 * plus the user's lock (a new RLock by default). Its descriptor carries the lock's, so a
 * Condition that crosses threads arrives with the very same lock.
 */
import { CONDITION_WAIT, parkedIn } from '../diagnostics/blocked.js';
import { noteUser, USER_WORDS } from '../diagnostics/users.js';
import { RuntimeError } from '../errors.js';
import { abortError } from '../parking/futex.js';
import {
  count,
  enqueue,
  leave,
  notifyDeferred,
  park,
  parkAsync,
  QUEUE_WORDS,
  wake,
} from '../parking/waiters.js';
import { attach, takeAttached } from '../shared/attach.js';
import {
  adoptChild,
  childOf,
  createShared,
  defineLifetime,
  refFor,
  releaseRef,
} from '../shared/lifetime.js';
import {
  describeShared,
  isShared,
  registerSharedType,
  reviveShared,
  SHARED,
  type SharedDescriptor,
  type SharedObject,
} from '../shared/protocol.js';
import { type Deadline, remainingMs, waitDeadline } from '../timeout.js';
import type { AcquireOptions } from './acquire-args.js';
import type { Lock } from './lock.js';
import { Lockable } from './lockable.js';
import { RLock } from './rlock.js';
import { type WaitOptions, waitArgs } from './wait-args.js';

/**
 * What a Condition can be built on: a threadkit Lock or RLock (or any shared object with
 * `acquire`/`release`). RLock's private protocol lets `wait()` release and restore its whole
 * recursion depth.
 */
export interface ConditionLock extends SharedObject {
  acquire(blocking?: boolean | AcquireOptions, timeout?: number | null): boolean;
  acquireAsync(blocking?: boolean | AcquireOptions, timeout?: number | null): Promise<boolean>;
  release(): void;
  locked?(): boolean;
  _isOwned?(): boolean;
  _releaseSave?(): unknown;
  _acquireRestore?(state: unknown): void;
  _acquireRestoreAsync?(state: unknown): Promise<void>;
}

/** A condition owns a count on its lock (it names it in every descriptor it makes). */
const CONDITION = defineLifetime('Condition', { free: (at) => releaseRef(childOf(at)) });

interface Attached {
  q: number;
  lock: ConditionLock;
}

/**
 * A condition variable (`threading.Condition`). `notify(n)` wakes the n longest-waiting
 * threads, in order; a waiter returns only when notified or timed out (no spurious wake-ups).
 * Shared: pass it to threads; it arrives with the same lock.
 */
export class Condition extends Lockable {
  /** Word index of the waiter queue `[mutex, head, tail]`. */
  readonly #q: number;
  readonly #lock: ConditionLock;
  /**
   * Whether notify may defer its wake-ups until the lock is released (parking/waiters.ts):
   * with an RLock, only the owner — the notifier — can release it, and every release
   * flushes; a plain Lock may be released by any thread, so it wakes at once.
   */
  readonly #deferWakes: boolean;

  /** `lock` defaults to a new {@link RLock}; a {@link Lock} or an RLock may be given. */
  constructor(lock?: Lock | RLock | ConditionLock | null) {
    super();
    const attached = takeAttached<Attached>();
    if (attached) {
      this.#q = attached.q;
      this.#lock = attached.lock;
      this.#deferWakes = attached.lock instanceof RLock;
      noteUser(this.#q + QUEUE_WORDS); // a possible notifier, for findDeadlocks()
      return;
    }
    if (lock == null) {
      this.#lock = new RLock();
    } else if (
      isShared(lock) &&
      typeof lock.acquire === 'function' &&
      typeof lock.release === 'function'
    ) {
      this.#lock = lock as ConditionLock;
    } else {
      throw new TypeError('Condition() lock must be a threadkit Lock or RLock');
    }
    this.#deferWakes = this.#lock instanceof RLock;
    // The waiter queue, then who may notify (diagnostics/users.ts).
    const at = createShared(this, CONDITION, (QUEUE_WORDS + USER_WORDS) * 4);
    adoptChild(at, refFor(this.#lock)); // the lock lives as long as the condition
    this.#q = at >> 2;
    noteUser(this.#q + QUEUE_WORDS);
  }

  /** Acquire the underlying lock (same arguments and result as its `acquire`). */
  acquire(blocking?: boolean | AcquireOptions, timeout?: number | null): boolean {
    return this.#lock.acquire(blocking, timeout);
  }

  /** Async twin of {@link acquire}. */
  acquireAsync(blocking?: boolean | AcquireOptions, timeout?: number | null): Promise<boolean> {
    return this.#lock.acquireAsync(blocking, timeout);
  }

  /** Release the underlying lock. */
  release(): void {
    this.#lock.release();
  }

  /** Whether the underlying lock is held (by any thread). */
  locked(): boolean {
    return this.#lock.locked ? this.#lock.locked() : this._isOwned();
  }

  /**
   * Release the lock (all RLock levels), block until notified or until `timeout` seconds
   * pass, then re-acquire it (restoring the depth) — also on timeout. Returns false only on
   * timeout. The caller must hold the lock: else `RuntimeError('cannot wait on un-acquired lock')`.
   */
  wait(timeout?: number | null): boolean {
    if (!this._isOwned()) throw new RuntimeError('cannot wait on un-acquired lock');
    return this.#waitUntil(waitDeadline(timeout));
  }

  /**
   * Async twin of {@link wait}. On abort it still re-acquires the lock before rejecting
   * with the signal's reason (a notification it had received goes to the next waiter).
   */
  async waitAsync(timeout?: number | null | WaitOptions, options?: WaitOptions): Promise<boolean> {
    const a = waitArgs(timeout, options);
    if (!this._isOwned()) throw new RuntimeError('cannot wait on un-acquired lock');
    return this.#waitUntilAsync(waitDeadline(a.timeout), a.signal);
  }

  /**
   * Wait until `predicate()` is truthy, for at most `timeout` seconds in total; returns the
   * predicate's last value. The predicate runs in the calling thread, holding the lock.
   */
  waitFor<T>(predicate: () => T, timeout?: number | null): T {
    let result = predicate();
    if (result) return result;
    const deadline = waitDeadline(timeout);
    for (;;) {
      if (!this._isOwned()) throw new RuntimeError('cannot wait on un-acquired lock');
      this.#waitUntil(deadline);
      result = predicate();
      if (result || remainingMs(deadline) <= 0) return result;
    }
  }

  /** Async twin of {@link waitFor}; the predicate may be async. */
  async waitForAsync<T>(
    predicate: () => T | Promise<T>,
    timeout?: number | null | WaitOptions,
    options?: WaitOptions,
  ): Promise<T> {
    const a = waitArgs(timeout, options);
    let result = await predicate();
    if (result) return result;
    const deadline = waitDeadline(a.timeout);
    for (;;) {
      if (!this._isOwned()) throw new RuntimeError('cannot wait on un-acquired lock');
      await this.#waitUntilAsync(deadline, a.signal);
      result = await predicate();
      if (result || remainingMs(deadline) <= 0) return result;
    }
  }

  /**
   * Wake up to `n` threads waiting on this condition, longest-waiting first. The caller must
   * hold the lock: else `RuntimeError('cannot notify on un-acquired lock')`.
   */
  notify(n = 1): void {
    if (!this._isOwned()) throw new RuntimeError('cannot notify on un-acquired lock');
    if (n <= 0) return;
    // The woken re-acquire the lock we hold: with an RLock, wake them as we release it.
    if (this.#deferWakes) notifyDeferred(this.#q, n);
    else wake(this.#q, n);
  }

  /** Wake every waiting thread (`notify_all`). */
  notifyAll(): void {
    this.notify(Number.POSITIVE_INFINITY);
  }

  /**
   * @internal Whether the caller "holds" the lock: the owner test of an RLock; with a plain
   * Lock, whether anyone holds it (as CPython, which cannot tell a Lock's owner).
   */
  _isOwned(): boolean {
    const lock = this.#lock;
    if (lock._isOwned) return lock._isOwned();
    if (lock.locked) return lock.locked();
    if (lock.acquire(false)) {
      lock.release();
      return false;
    }
    return true;
  }

  /** @internal How many threads (or async waits) are queued in `wait()` (for tests). */
  get _nWaiters(): number {
    return count(this.#q);
  }

  /** @internal The shared-object description (carries the lock's). */
  [SHARED](): SharedDescriptor {
    return { type: 'Condition', words: [this.#q], extra: describeShared(this.#lock) };
  }

  /** Like CPython's repr: `<Condition(<lock>, N)>` with N waiters. */
  override toString(): string {
    return `<Condition(${String(this.#lock)}, ${this._nWaiters})>`;
  }

  #releaseSave(): unknown {
    const lock = this.#lock;
    if (lock._releaseSave) return lock._releaseSave();
    lock.release();
    return undefined;
  }

  /** Release the lock for a wait; if that fails, leave the queue so no notify is lost on us. */
  #releaseOrLeave(node: number): unknown {
    try {
      return this.#releaseSave();
    } catch (err) {
      leave(this.#q, node);
      throw err;
    }
  }

  #acquireRestore(state: unknown): void {
    const lock = this.#lock;
    if (lock._acquireRestore) lock._acquireRestore(state);
    else lock.acquire();
  }

  async #acquireRestoreAsync(state: unknown): Promise<void> {
    const lock = this.#lock;
    if (lock._acquireRestoreAsync) await lock._acquireRestoreAsync(state);
    else await lock.acquireAsync();
  }

  #waitUntil(deadline: Deadline): boolean {
    // Queue up before releasing the lock, so a notify issued right after we let go sees us.
    const node = enqueue(this.#q);
    const saved = this.#releaseOrLeave(node);
    let notified = false;
    try {
      parkedIn(CONDITION_WAIT, this.#q, deadline !== Number.POSITIVE_INFINITY, () =>
        park(node, deadline),
      );
    } finally {
      // Leave the queue before re-acquiring: a notify while we wait for the lock must go
      // to a thread that is still waiting.
      notified = leave(this.#q, node);
      this.#acquireRestore(saved);
    }
    return notified;
  }

  async #waitUntilAsync(deadline: Deadline, signal: AbortSignal | undefined): Promise<boolean> {
    if (signal?.aborted) throw abortError(signal);
    const node = enqueue(this.#q);
    const saved = this.#releaseOrLeave(node);
    let failure: { error: unknown } | null = null;
    try {
      await parkAsync(node, deadline, signal);
    } catch (error) {
      failure = { error };
    }
    const notified = leave(this.#q, node);
    // An aborted waiter must not swallow a notification meant for someone: pass it on.
    if (failure && notified) wake(this.#q, 1);
    await this.#acquireRestoreAsync(saved);
    if (failure) throw failure.error;
    return notified;
  }
}

registerSharedType('Condition', (d) =>
  attach<Condition>(
    { q: d.words[0], lock: reviveShared(d.extra as SharedDescriptor) as ConditionLock },
    () => new Condition(),
  ),
);
