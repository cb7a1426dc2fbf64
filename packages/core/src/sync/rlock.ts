/**
 * `threading.RLock`: a re-entrant lock in three arena words — the futex mutex (as Lock's),
 * the owner's ident and the recursion depth. Owner and depth are written only by the owner,
 * but live in shared memory so that `locked()` and `toString()` read right from any thread.
 */

import { RLOCK_ACQUIRE } from '../diagnostics/blocked.js';
import { lockSlowly } from '../diagnostics/parking.js';
import { RuntimeError } from '../errors.js';
import { wordsFor } from '../memory/views.js';
import { currentIdent } from '../parking/current-thread.js';
import { flushWakes, hasDeferredWakes } from '../parking/waiters.js';
import { LOCKED, lockWord, lockWordAsync, UNLOCKED, unlockWord } from '../parking/word-lock.js';
import { attach, takeAttached } from '../shared/attach.js';
import { createShared, defineLifetime, OBJECT_HEADER, SHARED_REF } from '../shared/lifetime.js';
import { registerSharedType, SHARED, type SharedDescriptor } from '../shared/protocol.js';
import { lockDeadline } from '../timeout.js';
import { type AcquireOptions, acquireArgs } from './acquire-args.js';
import { Lockable } from './lockable.js';

const MUTEX = 0;
const OWNER = 1;
const COUNT = 2;
const RLOCK = defineLifetime('RLock', { listed: true });

// This module's own fixed view of the arena, checked inline on the fast paths (as Lock's).
// Owner and depth are plain reads and writes: only the owner writes them, while holding the
// mutex, whose compare-exchange orders them for the next owner.
let WORDS: Int32Array = new Int32Array(0);

function wordsOf(w: number): Int32Array {
  const end = w + COUNT;
  return end < WORDS.length ? WORDS : (WORDS = wordsFor(end));
}

/** What {@link RLock._releaseSave} hands back: `[depth, owner]`, as CPython's `(count, owner)`. */
export type RLockState = readonly [count: number, owner: number];

/**
 * A re-entrant lock (`threading.RLock`): the thread that holds it may acquire it again, and
 * must release it as many times. Only the owner may release it.
 *
 * Ownership belongs to the *thread* (as in Python), not to an async task: two async callers
 * in one thread share the ownership.
 */
export class RLock extends Lockable {
  /** Word index of the first of the three words. */
  readonly #w: number;

  constructor(...noArgs: []) {
    super();
    const w = takeAttached<number>();
    if (w === undefined && noArgs.length > 0) throw new TypeError('RLock() takes no arguments');
    this.#w = w ?? createShared(this, RLOCK, 12) >> 2;
  }

  /** @internal This handle's lifetime ref (shared/lifetime.ts), known from its word. */
  get [SHARED_REF](): number {
    return this.#w * 4 - OBJECT_HEADER;
  }

  /**
   * Acquire the lock, blocking the calling thread. If this thread already owns it, the
   * recursion depth goes up by one and it returns true at once. `timeout` is in seconds; `-1`
   * waits forever. Returns false on timeout, or when `blocking` is false and another thread
   * holds the lock.
   */
  acquire(blocking?: boolean | AcquireOptions, timeout?: number | null): boolean {
    // `acquire()`, the common case, skips argument parsing; arguments are checked before
    // re-entry, as CPython does.
    let deadline: number | null = Number.POSITIVE_INFINITY;
    if (blocking !== undefined || timeout !== undefined) {
      const a = acquireArgs(blocking, timeout);
      deadline = lockDeadline(a.blocking, a.timeout);
    }
    const w = this.#w;
    const i32 = wordsOf(w);
    const me = currentIdent();
    if (i32[w + OWNER] === me) {
      i32[w + COUNT]++;
      return true;
    }
    if (
      Atomics.compareExchange(i32, w + MUTEX, UNLOCKED, LOCKED) !== UNLOCKED &&
      !lockSlowly(RLOCK_ACQUIRE, w + MUTEX, deadline)
    ) {
      return false;
    }
    i32[w + OWNER] = me;
    i32[w + COUNT] = 1;
    return true;
  }

  /** Async twin of {@link acquire}: waits without blocking the event loop. */
  async acquireAsync(
    blocking?: boolean | AcquireOptions,
    timeout?: number | null,
  ): Promise<boolean> {
    const a = acquireArgs(blocking, timeout);
    const deadline = lockDeadline(a.blocking, a.timeout);
    const me = currentIdent();
    if (this.#reenter(me)) return true;
    if (!(await lockWordAsync(this.#w + MUTEX, deadline, a.signal))) return false;
    this.#own(me, 1);
    return true;
  }

  /**
   * Release one level. At depth zero the lock is free for other threads. Throws
   * `RuntimeError('cannot release un-acquired lock')` if the calling thread is not the owner.
   */
  release(): void {
    const w = this.#w;
    const i32 = wordsOf(w);
    if (i32[w + OWNER] !== currentIdent()) {
      throw new RuntimeError('cannot release un-acquired lock');
    }
    const count = i32[w + COUNT] - 1;
    if (count > 0) {
      i32[w + COUNT] = count;
      return;
    }
    i32[w + OWNER] = 0;
    i32[w + COUNT] = 0;
    if (Atomics.compareExchange(i32, w + MUTEX, LOCKED, UNLOCKED) !== LOCKED) unlockWord(w + MUTEX);
    if (hasDeferredWakes()) flushWakes(); // a Condition's notify, now that the lock is free
  }

  /** Whether any thread holds the lock (at any depth). */
  locked(): boolean {
    return Atomics.load(wordsFor(this.#w + COUNT), this.#w + MUTEX) !== 0;
  }

  /** @internal Whether the calling thread owns the lock. */
  _isOwned(): boolean {
    return Atomics.load(wordsFor(this.#w + COUNT), this.#w + OWNER) === currentIdent();
  }

  /** @internal The calling thread's recursion depth (0 if it is not the owner). */
  _recursionCount(): number {
    return this._isOwned() ? Atomics.load(wordsFor(this.#w + COUNT), this.#w + COUNT) : 0;
  }

  /** @internal Release every level at once (for `Condition.wait`); returns what to restore. */
  _releaseSave(): RLockState {
    if (!this._isOwned()) throw new RuntimeError('cannot release un-acquired lock');
    const i32 = wordsFor(this.#w + COUNT);
    const state: RLockState = [i32[this.#w + COUNT], i32[this.#w + OWNER]];
    this.#disown();
    unlockWord(this.#w + MUTEX);
    flushWakes();
    return state;
  }

  /** @internal Re-acquire (blocking) and restore the depth saved by {@link _releaseSave}. */
  _acquireRestore(state: RLockState): void {
    lockWord(this.#w + MUTEX, Number.POSITIVE_INFINITY);
    this.#own(state[1], state[0]);
  }

  /** @internal Async twin of {@link _acquireRestore} (not abortable: a wait must re-acquire). */
  async _acquireRestoreAsync(state: RLockState): Promise<void> {
    await lockWordAsync(this.#w + MUTEX, Number.POSITIVE_INFINITY);
    this.#own(state[1], state[0]);
  }

  /** @internal The shared-object description. */
  [SHARED](): SharedDescriptor {
    return { type: 'RLock', words: [this.#w] };
  }

  /** Like CPython's repr: `<locked threadkit.RLock object owner=IDENT count=N>`. */
  override toString(): string {
    const i32 = wordsFor(this.#w + COUNT);
    const owner = Atomics.load(i32, this.#w + OWNER);
    const count = Atomics.load(i32, this.#w + COUNT);
    return `<${this.locked() ? 'locked' : 'unlocked'} threadkit.RLock object owner=${owner} count=${count}>`;
  }

  #reenter(me: number): boolean {
    const i32 = wordsOf(this.#w);
    if (i32[this.#w + OWNER] !== me) return false;
    i32[this.#w + COUNT]++;
    return true;
  }

  #own(owner: number, count: number): void {
    const i32 = wordsOf(this.#w);
    i32[this.#w + OWNER] = owner;
    i32[this.#w + COUNT] = count;
  }

  #disown(): void {
    const i32 = wordsOf(this.#w);
    i32[this.#w + OWNER] = 0;
    i32[this.#w + COUNT] = 0;
  }
}

registerSharedType('RLock', (d) => attach(d.words[0], () => new RLock()));
