/**
 * The shared engine behind Queue, LifoQueue, PriorityQueue and SimpleQueue: a header of
 * arena words plus a growable array of 64-byte item slots (see `shared/wire.ts`).
 *
 * Everything lives in shared memory, so a thread blocked in `get()` (the main thread
 * included) receives items without any message.
 *
 * Locking. FIFO queues (Queue, SimpleQueue) are a ring with two internal futex mutexes, one
 * for the producers' end and one for the consumers' end (Michael & Scott's two-lock queue),
 * on separate cache lines: a producer and a consumer never wait for each other, and the only
 * word both write per item is the item count (a SimpleQueue's consumers write it once per 32
 * items, see #tryGetSimple). Growing or shrinking the ring takes both locks
 * (always tail first). LIFO and priority queues touch both ends at once, so they use the
 * consumers' mutex alone.
 *
 * Waiting. CPython's conditions `not_empty`, `not_full` and `all_tasks_done` are sequence
 * words with waiter counts, used as event counts: a waiter counts itself in, reads the
 * sequence, re-checks the state and only then sleeps on the word; whoever changes the state
 * does so first, then bumps the sequence and wakes a waiter if the count says someone waits.
 * (Every access is a sequentially consistent atomic, so one of the two always sees the other.)
 * Before counting itself in, a waiter spins a little: a steady producer's next item usually
 * arrives within that time, which spares the sleep, the wake-up and the producer's notify.
 *
 * Values are encoded before a lock is taken and decoded after it is released, so the critical
 * sections are a few words; inline primitives are simply read in place under the lock.
 */
import { parkedIn, QUEUE_GET, QUEUE_JOIN, QUEUE_PUT } from '../diagnostics/blocked.js';
import { Empty, Full, OverflowError, ShutDown, ValueError } from '../errors.js';
import { alloc, free } from '../memory/arena.js';
import { views } from '../memory/views.js';
import { countedWait, countedWaitAsync } from '../parking/counted-wait.js';
import { futexWake } from '../parking/futex.js';
import { lockWordIn, unlockWordIn } from '../parking/word-lock.js';
import { createShared } from '../shared/lifetime.js';
import {
  discardSlot,
  finish,
  NOT_PLAIN,
  type Prepared,
  peekPlain,
  prepare,
  release,
  SLOT_BYTES,
  storeNumber,
  storeSlot,
  type Taken,
  takeSlot,
} from '../shared/wire.js';
import { type Deadline, deadlineAfter, remainingMs, TIMEOUT_MAX } from '../timeout.js';
import type { WaitArgs } from './args.js';
import type { Heap } from './heap.js';

// Header words, on three cache lines (64 bytes = 16 words each).
// Consumers' line:
const HEAD_LOCK = 0; // FIFO consumers; LIFO/priority: the only mutex
const HEAD = 1; // FIFO: index of the oldest item
const NOT_EMPTY = 3; // sequence
// SimpleQueue only (0 otherwise), written under the consumers' mutex: see #tryGetSimple.
const AVAIL = 4; // items known to be published and not yet taken
const PENDING = 5; // items taken but not yet subtracted from COUNT
// Producers' line:
const TAIL_LOCK = 16; // FIFO producers
const TAIL = 17; // FIFO: index of the next free slot
const NOT_FULL = 19;
const COUNT_BOUND = 20; // FIFO: the count after the last put, >= the count (see #push)
// Shared line (the waiter counts are here, beside the count both ends write anyway: each
// put reads N_GET and each get N_PUT, and on the other end's line that read would pull the
// line away from its writer once per item):
const COUNT = 32;
const CAP = 33;
const SLOTS = 34;
const UNFINISHED = 35;
const SHUTDOWN = 36;
const N_JOIN = 37;
const ALL_DONE = 38;
const KIND = 39;
const MAXSIZE = 40; // f64 over words 40-41
const N_GET = 42; // getters counted in as waiters
const N_PUT = 43; // putters counted in as waiters
const HEADER_BYTES = 192;
const LINE = 64;

/** Storage disciplines. */
export const FIFO = 0;
export const LIFO = 1;
export const PRIORITY = 2;

const MIN_CAP = 8;
/** SimpleQueue: items a consumer takes before it subtracts them from the shared count. */
const TAKEN_BATCH = 32;
/** Loads of the item count before a waiter counts itself in and sleeps (≈ 10 µs). */
const SPINS = 1000;
/** Attempts at a busy internal mutex before parking on it (it is held for ≈ 100 ns). */
const LOCK_SPINS = 200;

/** The cache-line-aligned header inside a queue object's payload at byte `at`. */
function headerAt(at: number): number {
  return (at + LINE - 1) & ~(LINE - 1);
}

/**
 * What a queue owns, given back when it is reclaimed (shared/lifetime.ts): the items still in
 * it (and the counts their shared objects hold) and its slot array.
 */
export function freeQueue(at: number): void {
  const ptr = headerAt(at);
  const h = ptr >> 2;
  const i32 = views(ptr + HEADER_BYTES).i32;
  const slots = i32[h + SLOTS];
  if (slots === 0) return;
  const kind = i32[h + KIND];
  const stride = kind === PRIORITY ? SLOT_BYTES + 16 : SLOT_BYTES;
  const count = i32[h + COUNT] - i32[h + PENDING];
  for (let i = 0; i < count; i++) {
    const at = kind === FIFO ? (i32[h + HEAD] + i) & (i32[h + CAP] - 1) : i;
    discardSlot(slots + at * stride);
  }
  free(slots);
}

function timeoutDeadline(a: WaitArgs): Deadline {
  return a.block && a.timeout !== null ? deadlineAfter(a.timeout) : Number.POSITIVE_INFINITY;
}

/**
 * A deadline not computed yet: `get`/`put` read the clock only once they find they must wait
 * (the clock costs as much as an uncontended get), so the timeout counts from that moment,
 * microseconds after the call.
 */
const NO_DEADLINE_YET = Number.NaN;

/** Whether the wait has no time left (a zero timeout, or a deadline that passed). */
function outOfTime(a: WaitArgs, deadline: Deadline): boolean {
  return Number.isNaN(deadline) ? a.timeout === 0 : remainingMs(deadline) <= 0;
}

function checkOverflow(a: WaitArgs): void {
  if (a.timeout !== null && a.timeout > TIMEOUT_MAX)
    throw new OverflowError('timeout value is too large');
}

/** Decrement a counter that other threads decrement too, unless it is 0; false if it was. */
function decrementIfPositive(i32: Int32Array, w: number): number {
  for (;;) {
    const u = Atomics.load(i32, w);
    if (u <= 0) return -1;
    if (Atomics.compareExchange(i32, w, u, u - 1) === u) return u - 1;
  }
}

/**
 * How a queue kind stores its items: CPython's `queue.py` overrides `_init`, `_qsize`,
 * `_put` and `_get` in LifoQueue and PriorityQueue; here each kind is one of these objects,
 * and QueueCore never asks which kind it serves.
 */
interface Discipline {
  /** FIFO has a mutex per end; the others touch both ends at once and share one. */
  readonly twoLocks: boolean;
  /** Whether numbers may skip {@link prepare} (`put` is then given `p = null`). */
  readonly inlineNumbers: boolean;
  /** `_put`: store the prepared item (the put lock is held, there is a free slot). */
  put(core: QueueCore, i32: Int32Array, count: number, p: Prepared | null, item: unknown): void;
  /**
   * `_get`: take the next item and publish the lower count (the get lock is held): an inline
   * primitive itself (read in place), else the slot's content to {@link finish} after unlocking.
   */
  get(core: QueueCore, i32: Int32Array): Taken | Primitive;
  /** Raw slot index of the `i`-th item in storage order (shutdown, resize). */
  rawIndex(i32: Int32Array, h: number, i: number): number;
}

/**
 * A primitive held inline (a number, a short string, true, false, null…) read in place: it
 * owns nothing, so there is no copy of the slot and nothing to decode after unlocking; else
 * the slot's content, for {@link finish}.
 */
function takeOrRead(base: number): Taken | Primitive {
  const v = peekPlain(base);
  return v !== NOT_PLAIN ? (v as Primitive) : takeSlot(base);
}

type Primitive = number | string | boolean | bigint | null | undefined;

/** Whether a get's result is a slot's content (to decode) rather than the value itself. */
function isTaken(t: Taken | Primitive): t is Taken {
  return typeof t === 'object' && t !== null;
}

/** Queue and SimpleQueue: a ring from HEAD to TAIL. */
const RING: Discipline = {
  twoLocks: true,
  inlineNumbers: true,
  put(core, i32, _count, p, item) {
    const h = core.h;
    const tail = i32[h + TAIL];
    const base = i32[h + SLOTS] + tail * SLOT_BYTES;
    if (p === null) storeNumber(base, item as number);
    else storeSlot(base, p);
    i32[h + TAIL] = (tail + 1) & (i32[h + CAP] - 1);
  },
  get(core, i32) {
    const h = core.h;
    const head = i32[h + HEAD];
    const base = i32[h + SLOTS] + head * SLOT_BYTES;
    const taken = takeOrRead(base);
    i32[h + HEAD] = (head + 1) & (i32[h + CAP] - 1);
    Atomics.sub(i32, h + COUNT, 1); // frees the slot for putters
    return taken;
  },
  rawIndex: (i32, h, i) => (i32[h + HEAD] + i) & (i32[h + CAP] - 1),
};

/** Shrink a one-lock queue's array after a get that left it a quarter full. */
function shrinkOneLock(core: QueueCore, i32: Int32Array, count: number): void {
  const cap = i32[core.h + CAP];
  if (cap > 64 && count - 1 < cap >> 2) core.resize(cap >> 1);
}

/** LifoQueue: a stack; the newest item is at the top. */
const STACK: Discipline = {
  twoLocks: false,
  inlineNumbers: false,
  put(core, _i32, count, p) {
    storeSlot(core.slot(count), p as Prepared);
  },
  get(core, i32) {
    const count = i32[core.h + COUNT];
    const taken = takeSlot(core.slot(count - 1));
    Atomics.sub(i32, core.h + COUNT, 1);
    shrinkOneLock(core, i32, count);
    return taken;
  },
  rawIndex: (_i32, _h, i) => i,
};

/** PriorityQueue: a binary heap (queue/heap.ts) over the slots. */
const HEAP: Discipline = {
  twoLocks: false,
  inlineNumbers: false,
  put(core, _i32, count, p, item) {
    (core.heap as Heap).push(core, count, p as Prepared, item);
  },
  get(core, i32) {
    const count = i32[core.h + COUNT];
    const taken = (core.heap as Heap).pop(core, count);
    Atomics.sub(i32, core.h + COUNT, 1);
    shrinkOneLock(core, i32, count);
    return taken;
  },
  rawIndex: (_i32, _h, i) => i,
};

const DISCIPLINES: readonly Discipline[] = [RING, STACK, HEAP];

/** What an attempt under the lock decided. */
const WAIT = Symbol('wait');

/** A queue's shared state, viewed from one thread. */
export class QueueCore {
  /** Word index of the header. */
  readonly h: number;
  readonly kind: number;
  /** Bytes per slot: priority slots carry a sort key after the item. */
  readonly stride: number;
  /** PriorityQueue ordering (set by PriorityQueue). */
  heap: Heap | null = null;
  /**
   * Set by SimpleQueue: never bounded, never shut down, so `put` skips those checks and
   * `get` never looks for a waiting putter (there never is one).
   */
  simple = false;
  /** How this kind stores items. */
  readonly #discipline: Discipline;
  /** Byte just past the header (for {@link views}). */
  readonly #end: number;
  /** The mutex of each end: distinct for FIFO queues, the same word otherwise. */
  readonly #getLock: number;
  readonly #putLock: number;

  constructor(h: number) {
    this.h = h;
    this.#end = h * 4 + HEADER_BYTES;
    this.kind = views(this.#end).i32[h + KIND];
    this.stride = this.kind === PRIORITY ? SLOT_BYTES + 16 : SLOT_BYTES;
    this.#discipline = DISCIPLINES[this.kind];
    this.#getLock = h + HEAD_LOCK;
    this.#putLock = this.#discipline.twoLocks ? h + TAIL_LOCK : h + HEAD_LOCK;
  }

  /** Allocate the shared state of a new queue (cache-line aligned). */
  static create(owner: object, tag: number, kind: number, maxsize: number): QueueCore {
    const ptr = headerAt(createShared(owner, tag, HEADER_BYTES + LINE));
    const a = views(ptr + HEADER_BYTES);
    a.i32[(ptr >> 2) + KIND] = kind;
    a.f64[(ptr >> 3) + (MAXSIZE >> 1)] = maxsize;
    return new QueueCore(ptr >> 2);
  }

  #i32(): Int32Array {
    return views(this.#end).i32;
  }

  // --- plain reads (CPython reads these without the mutex too) ---

  qsize(): number {
    const i32 = this.#i32();
    const n = Atomics.load(i32, this.h + COUNT);
    return this.simple ? Math.max(0, n - i32[this.h + PENDING]) : n;
  }

  get maxsize(): number {
    return views(this.#end).f64[(this.h >> 1) + (MAXSIZE >> 1)];
  }

  set maxsize(value: number) {
    const i32 = this.#i32();
    lockWordIn(i32, this.#putLock, LOCK_SPINS);
    views(this.#end).f64[(this.h >> 1) + (MAXSIZE >> 1)] = value;
    unlockWordIn(i32, this.#putLock);
    // Beyond CPython (which waits for the next get): a larger maxsize lets putters re-check now.
    this.#wake(NOT_FULL, N_PUT, Number.POSITIVE_INFINITY);
  }

  get unfinishedTasks(): number {
    return Atomics.load(this.#i32(), this.h + UNFINISHED);
  }

  get isShutdown(): boolean {
    return Atomics.load(this.#i32(), this.h + SHUTDOWN) !== 0;
  }

  full(): boolean {
    const max = this.maxsize;
    return 0 < max && max <= this.qsize();
  }

  // --- storage (under the lock(s)) ---

  /** Byte offset of slot `i` of the storage array (raw index: heap position or ring index). */
  slot(i: number): number {
    return this.#i32()[this.h + SLOTS] + i * this.stride;
  }

  /** Re-allocate the slot array (both locks held; one-lock kinds: the mutex). */
  resize(cap: number): void {
    const i32 = this.#i32();
    const h = this.h;
    this.#flushTaken(i32);
    const count = i32[h + COUNT];
    const words = this.stride >> 2;
    const fresh = alloc(cap * this.stride);
    const old = i32[h + SLOTS];
    if (old !== 0) {
      const oldCap = i32[h + CAP];
      // Views over both blocks (a recycled block may lie below the old one, or above).
      const all = views(Math.max(fresh + cap * this.stride, old + oldCap * this.stride)).i32;
      const head = this.#discipline.twoLocks ? i32[h + HEAD] : 0;
      // Copy in logical order (unwrapping a FIFO ring) with at most two block moves.
      const first = Math.min(count, oldCap - head);
      all.copyWithin(fresh >> 2, (old >> 2) + head * words, (old >> 2) + (head + first) * words);
      if (first < count) {
        all.copyWithin(
          (fresh >> 2) + first * words,
          old >> 2,
          (old >> 2) + (count - first) * words,
        );
      }
      free(old);
    }
    i32[h + SLOTS] = fresh;
    i32[h + CAP] = cap;
    i32[h + HEAD] = 0;
    i32[h + TAIL] = count;
  }

  /** Store an item (the put lock is held and there is room under maxsize). */
  #push(i32: Int32Array, p: Prepared | null, item: unknown, joinable: boolean): void {
    const h = this.h;
    const both = this.#discipline.twoLocks;
    // A FIFO ring's count only grows under the put lock, so the count the last put left is a
    // bound on it: below the capacity, there is room without reading the count (whose line
    // the consumers write). Its atomic add read every earlier get's subtraction, so the
    // slots those freed are free for this thread too.
    let count = both ? i32[h + COUNT_BOUND] : Atomics.load(i32, h + COUNT);
    if (both && count >= i32[h + CAP]) count = Atomics.load(i32, h + COUNT);
    // A SimpleQueue's count may include items already taken (#tryGetSimple): `>=`.
    if (count >= i32[h + CAP]) {
      // Capacity is counted in items and grows on demand: only maxsize bounds a queue.
      if (both) lockWordIn(i32, h + HEAD_LOCK, LOCK_SPINS);
      this.resize(Math.max(MIN_CAP, count * 2));
      if (both) unlockWordIn(i32, h + HEAD_LOCK);
    }
    this.#discipline.put(this, i32, count, p, item);
    // Count the task before publishing the item: its getter may call taskDone() at once.
    if (joinable) Atomics.add(i32, h + UNFINISHED, 1);
    const after = Atomics.add(i32, h + COUNT, 1) + 1; // publishes the slot to getters
    if (both) i32[h + COUNT_BOUND] = after;
  }

  /** Remove the next item (the get lock is held and the queue is not empty). */
  #pop(i32: Int32Array): Taken | Primitive {
    return this.#discipline.get(this, i32);
  }

  /** Two-lock queues: give memory back after a burst (takes both locks, tail first). */
  #maybeShrink(i32: Int32Array): void {
    const h = this.h;
    const cap = i32[h + CAP];
    if (cap <= 64 || Atomics.load(i32, h + COUNT) >= cap >> 2) return;
    lockWordIn(i32, h + TAIL_LOCK, LOCK_SPINS);
    lockWordIn(i32, h + HEAD_LOCK, LOCK_SPINS);
    this.#flushTaken(i32);
    const now = i32[h + CAP];
    if (now > 64 && i32[h + COUNT] < now >> 2) this.resize(now >> 1);
    unlockWordIn(i32, h + HEAD_LOCK);
    unlockWordIn(i32, h + TAIL_LOCK);
  }

  // --- waiting ---

  /** After a state change: bump `seq` and wake up to `n` of its waiters, if any are counted in. */
  #wake(seq: number, waiters: number, n: number): void {
    const i32 = this.#i32();
    if (Atomics.load(i32, this.h + waiters) === 0) return;
    Atomics.add(i32, this.h + seq, 1);
    futexWake(this.h + seq, n);
  }

  #notEmpty(i32: Int32Array): boolean {
    return Atomics.load(i32, this.h + COUNT) !== 0 || Atomics.load(i32, this.h + SHUTDOWN) !== 0;
  }

  #notFull(i32: Int32Array): boolean {
    return (
      Atomics.load(i32, this.h + COUNT) < this.maxsize || Atomics.load(i32, this.h + SHUTDOWN) !== 0
    );
  }

  #allDone(i32: Int32Array): boolean {
    return Atomics.load(i32, this.h + UNFINISHED) === 0;
  }

  /** Spin (no lock held) until `ready` holds or the spin budget is spent. */
  #spin(i32: Int32Array, ready: (i32: Int32Array) => boolean): void {
    for (let k = 0; k < SPINS; k++) if (ready.call(this, i32)) return;
  }

  /** Count in on `seq`, re-check `ready`, sleep (parking/counted-wait.ts); the caller re-checks. */
  #park(
    seq: number,
    waiters: number,
    ready: (i32: Int32Array) => boolean,
    deadline: Deadline,
  ): void {
    const i32 = this.#i32();
    const h = this.h;
    const kind = waiters === N_GET ? QUEUE_GET : waiters === N_PUT ? QUEUE_PUT : QUEUE_JOIN;
    parkedIn(kind, h, deadline !== Number.POSITIVE_INFINITY, () =>
      countedWait(h + waiters, h + seq, () => ready.call(this, i32), deadline),
    );
  }

  async #parkAsync(
    seq: number,
    waiters: number,
    ready: (i32: Int32Array) => boolean,
    deadline: Deadline,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const i32 = this.#i32();
    const h = this.h;
    await countedWaitAsync(h + waiters, h + seq, () => ready.call(this, i32), deadline, signal);
  }

  // --- get ---

  /**
   * SimpleQueue's get (holding the get lock): the shared count is read once per batch of
   * items and written once per {@link TAKEN_BATCH} items, so the producers' cache line that
   * holds it is not pulled to the consumer's core for every item. AVAIL counts the items the
   * consumers know were published (the count's atomic read that found them also makes their
   * slots visible); PENDING the items taken but not yet subtracted, so the count overstates
   * the items by PENDING: producers then grow the ring a little early, and a waiter that sees
   * a count > 0 retries and finds nothing (harmless). Whoever finds nothing first subtracts
   * PENDING, so the count is exact whenever a consumer is about to sleep.
   */
  #tryGetSimple(i32: Int32Array, a: WaitArgs, deadline: Deadline): Taken | Primitive | typeof WAIT {
    const h = this.h;
    if (a.block && a.timeout !== null && a.timeout < 0) {
      throw new ValueError("'timeout' must be a non-negative number");
    }
    let avail = i32[h + AVAIL];
    if (avail === 0) {
      avail = Atomics.load(i32, h + COUNT) - i32[h + PENDING];
      if (avail === 0) {
        this.#flushTaken(i32);
        if (!a.block || outOfTime(a, deadline)) throw new Empty();
        checkOverflow(a);
        return WAIT;
      }
    }
    i32[h + AVAIL] = avail - 1;
    const head = i32[h + HEAD];
    const base = i32[h + SLOTS] + head * SLOT_BYTES;
    const taken = takeOrRead(base);
    i32[h + HEAD] = (head + 1) & (i32[h + CAP] - 1);
    const pending = i32[h + PENDING] + 1;
    if (pending < TAKEN_BATCH) {
      i32[h + PENDING] = pending;
    } else {
      i32[h + PENDING] = 0;
      Atomics.sub(i32, h + COUNT, pending); // frees the slots for putters
    }
    return taken;
  }

  /** Subtract the items taken but not yet counted out (the get lock is held). */
  #flushTaken(i32: Int32Array): void {
    const pending = i32[this.h + PENDING];
    if (pending === 0) return;
    i32[this.h + PENDING] = 0;
    Atomics.sub(i32, this.h + COUNT, pending);
  }

  /** One attempt, holding the get lock: the taken item, or WAIT. CPython's order of checks. */
  #tryGet(i32: Int32Array, a: WaitArgs, deadline: Deadline): Taken | Primitive | typeof WAIT {
    if (this.simple) return this.#tryGetSimple(i32, a, deadline);
    const h = this.h;
    const count = Atomics.load(i32, h + COUNT);
    if (count === 0 && Atomics.load(i32, h + SHUTDOWN) !== 0) throw new ShutDown();
    if (a.block && a.timeout !== null && a.timeout < 0) {
      throw new ValueError("'timeout' must be a non-negative number");
    }
    if (count > 0) return this.#pop(i32);
    if (!a.block || outOfTime(a, deadline)) throw new Empty();
    checkOverflow(a);
    return WAIT;
  }

  /** After a get: wake a putter, give memory back. */
  #afterGet(i32: Int32Array): void {
    if (this.simple) {
      // No putter ever waits; look at the size only after the count was brought up to date.
      if (i32[this.h + PENDING] === 0) this.#maybeShrink(i32);
      return;
    }
    this.#wake(NOT_FULL, N_PUT, 1);
    if (this.#discipline.twoLocks) this.#maybeShrink(i32);
  }

  get(a: WaitArgs): unknown {
    const i32 = this.#i32();
    let deadline: Deadline = NO_DEADLINE_YET;
    const w = this.#getLock;
    let spun = false;
    for (;;) {
      lockWordIn(i32, w, LOCK_SPINS);
      let taken: Taken | Primitive | typeof WAIT;
      try {
        taken = this.#tryGet(i32, a, deadline);
      } finally {
        unlockWordIn(i32, w);
      }
      if (taken !== WAIT) {
        this.#afterGet(i32);
        return isTaken(taken) ? finish(taken) : taken;
      }
      if (Number.isNaN(deadline)) deadline = timeoutDeadline(a);
      if (!spun) {
        spun = true; // once per call: spin before counting in and sleeping
        this.#spin(i32, this.#notEmpty);
      } else {
        this.#park(NOT_EMPTY, N_GET, this.#notEmpty, deadline);
      }
    }
  }

  async getAsync(a: WaitArgs): Promise<unknown> {
    if (a.signal?.aborted) throw a.signal.reason;
    const i32 = this.#i32();
    let deadline: Deadline = NO_DEADLINE_YET;
    const w = this.#getLock;
    for (;;) {
      lockWordIn(i32, w, LOCK_SPINS);
      let taken: Taken | Primitive | typeof WAIT;
      try {
        taken = this.#tryGet(i32, a, deadline);
      } finally {
        unlockWordIn(i32, w);
      }
      if (taken !== WAIT) {
        this.#afterGet(i32);
        return isTaken(taken) ? finish(taken) : taken;
      }
      if (Number.isNaN(deadline)) deadline = timeoutDeadline(a);
      await this.#parkAsync(NOT_EMPTY, N_GET, this.#notEmpty, deadline, a.signal);
    }
  }

  // --- put ---

  /** One attempt, holding the put lock: stored, or WAIT. CPython's order of checks. */
  #tryPut(
    i32: Int32Array,
    a: WaitArgs,
    deadline: Deadline,
    p: Prepared | null,
    item: unknown,
    joinable: boolean,
  ): boolean {
    const h = this.h;
    if (!this.simple) {
      if (Atomics.load(i32, h + SHUTDOWN) !== 0) throw new ShutDown();
      const max = this.maxsize;
      if (max > 0) {
        if (a.block && a.timeout !== null && a.timeout < 0) {
          throw new ValueError("'timeout' must be a non-negative number");
        }
        if (Atomics.load(i32, h + COUNT) >= max) {
          if (!a.block || outOfTime(a, deadline)) throw new Full();
          checkOverflow(a);
          return false;
        }
      }
    }
    this.#push(i32, p, item, joinable);
    return true;
  }

  put(item: unknown, a: WaitArgs, joinable = true): void {
    // Numbers go straight into the slot (no Prepared object) where the discipline allows.
    const p =
      typeof item === 'number' && this.#discipline.inlineNumbers ? null : prepare(item, 'item');
    const i32 = this.#i32();
    let deadline: Deadline = NO_DEADLINE_YET;
    const w = this.#putLock;
    let spun = false;
    try {
      for (;;) {
        lockWordIn(i32, w, LOCK_SPINS);
        let stored: boolean;
        try {
          stored = this.#tryPut(i32, a, deadline, p, item, joinable);
        } finally {
          unlockWordIn(i32, w);
        }
        if (stored) break;
        if (Number.isNaN(deadline)) deadline = timeoutDeadline(a);
        if (!spun) {
          spun = true;
          this.#spin(i32, this.#notFull);
        } else {
          this.#park(NOT_FULL, N_PUT, this.#notFull, deadline);
        }
      }
    } catch (err) {
      if (p !== null) release(p);
      throw err;
    }
    this.#wake(NOT_EMPTY, N_GET, 1);
  }

  async putAsync(item: unknown, a: WaitArgs, joinable = true): Promise<void> {
    if (a.signal?.aborted) throw a.signal.reason;
    const p =
      typeof item === 'number' && this.#discipline.inlineNumbers ? null : prepare(item, 'item');
    const i32 = this.#i32();
    let deadline: Deadline = NO_DEADLINE_YET;
    const w = this.#putLock;
    try {
      for (;;) {
        lockWordIn(i32, w, LOCK_SPINS);
        let stored: boolean;
        try {
          stored = this.#tryPut(i32, a, deadline, p, item, joinable);
        } finally {
          unlockWordIn(i32, w);
        }
        if (stored) break;
        if (Number.isNaN(deadline)) deadline = timeoutDeadline(a);
        await this.#parkAsync(NOT_FULL, N_PUT, this.#notFull, deadline, a.signal);
      }
    } catch (err) {
      if (p !== null) release(p);
      throw err;
    }
    this.#wake(NOT_EMPTY, N_GET, 1);
  }

  // --- task_done / join / shutdown ---

  taskDone(): void {
    const left = decrementIfPositive(this.#i32(), this.h + UNFINISHED);
    if (left < 0) throw new ValueError('task_done() called too many times');
    if (left === 0) this.#wake(ALL_DONE, N_JOIN, Number.POSITIVE_INFINITY);
  }

  join(): void {
    const i32 = this.#i32();
    while (!this.#allDone(i32))
      this.#park(ALL_DONE, N_JOIN, this.#allDone, Number.POSITIVE_INFINITY);
  }

  async joinAsync(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    const i32 = this.#i32();
    while (!this.#allDone(i32)) {
      await this.#parkAsync(ALL_DONE, N_JOIN, this.#allDone, Number.POSITIVE_INFINITY, signal);
    }
  }

  shutdown(immediate: boolean): void {
    const i32 = this.#i32();
    const h = this.h;
    // Both ends locked (tail first): no put is half done, no get sees a half-emptied queue.
    const both = this.#discipline.twoLocks;
    if (both) lockWordIn(i32, h + TAIL_LOCK, LOCK_SPINS);
    lockWordIn(i32, h + HEAD_LOCK, LOCK_SPINS);
    try {
      Atomics.store(i32, h + SHUTDOWN, 1);
      if (immediate) {
        // Discard the items; each one counts as done, so join() can return.
        const count = i32[h + COUNT];
        for (let i = 0; i < count; i++) {
          const at = this.#discipline.rawIndex(i32, h, i);
          discardSlot(this.slot(at));
          decrementIfPositive(i32, h + UNFINISHED);
        }
        Atomics.store(i32, h + COUNT, 0);
        i32[h + HEAD] = 0;
        i32[h + TAIL] = 0;
      }
    } finally {
      unlockWordIn(i32, h + HEAD_LOCK);
      if (both) unlockWordIn(i32, h + TAIL_LOCK);
    }
    if (immediate) this.#wake(ALL_DONE, N_JOIN, Number.POSITIVE_INFINITY);
    this.#wake(NOT_EMPTY, N_GET, Number.POSITIVE_INFINITY);
    this.#wake(NOT_FULL, N_PUT, Number.POSITIVE_INFINITY);
  }
}
