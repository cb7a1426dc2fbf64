/**
 * The shared engine behind Queue, LifoQueue, PriorityQueue and SimpleQueue: a header of
 * arena words plus a growable array of 64-byte item slots (see `shared/wire.ts`).
 *
 * Everything lives in shared memory, so a thread blocked in `get()` (the main thread
 * included) receives items without any message. Synchronisation is CPython's design on the
 * futex layer: one internal mutex (`lockWord`) guards the header and the slots, and three
 * sequence words stand for the conditions `not_empty`, `not_full` and `all_tasks_done`. A
 * waiter reads the sequence under the mutex, registers itself in a waiter count, unlocks and
 * sleeps on the word; whoever changes the state bumps the word and wakes one (or all)
 * waiters, and only when the waiter count says someone waits. Values are encoded before the
 * mutex is taken and decoded after it is released, so the critical sections are a few words.
 */
import { Empty, Full, OverflowError, ShutDown, ValueError } from '../errors.js';
import { alloc, allocPermanent, free } from '../memory/arena.js';
import { views } from '../shared/views.js';
import {
  discardSlot,
  finish,
  type Prepared,
  prepare,
  release,
  SLOT_BYTES,
  storeSlot,
  type Taken,
  takeSlot,
} from '../shared/wire.js';
import { futexWait, futexWaitAsync, futexWake } from '../sync/futex.js';
import { lockWord, unlockWord } from '../sync/lock.js';
import { type Deadline, deadlineAfter, remainingMs, TIMEOUT_MAX } from '../timeout.js';
import type { WaitArgs } from './args.js';
import type { Heap } from './heap.js';

// Header words (the header is 16 words, 8-byte aligned).
const MUTEX = 0;
const NOT_EMPTY = 1;
const NOT_FULL = 2;
const ALL_DONE = 3;
const COUNT = 4;
const HEAD = 5;
const CAP = 6;
const SLOTS = 7;
const MAXSIZE = 8; // f64 over words 8-9
const UNFINISHED = 10;
const SHUTDOWN = 11;
const N_GET = 12;
const N_PUT = 13;
const N_JOIN = 14;
const KIND = 15;
const HEADER_BYTES = 64;

/** Storage disciplines. */
export const FIFO = 0;
export const LIFO = 1;
export const PRIORITY = 2;

const MIN_CAP = 8;
/**
 * Loads of the item count before a getter (or putter) registers as a waiter and parks: a
 * steady producer's next item usually lands within that time (≈ 10 µs), which spares the
 * park, the wake-up (tens of µs) and the producer's notify.
 */
const SPINS = 1000;

/** The sentinel an attempt returns when the caller must wait on a sequence word. */
const WAIT = Symbol('wait');

function timeoutDeadline(a: WaitArgs): Deadline {
  return a.block && a.timeout !== null ? deadlineAfter(a.timeout) : Number.POSITIVE_INFINITY;
}

function checkOverflow(a: WaitArgs): void {
  if (a.timeout !== null && a.timeout > TIMEOUT_MAX)
    throw new OverflowError('timeout value is too large');
}

/** Spin (without the mutex) while the queue looks empty and open. */
function spinWhileEmpty(i32: Int32Array, h: number): void {
  for (let k = 0; k < SPINS; k++) {
    if (Atomics.load(i32, h + COUNT) !== 0 || Atomics.load(i32, h + SHUTDOWN) !== 0) return;
  }
}

/** Spin (without the mutex) while the queue looks full and open. */
function spinWhileFull(i32: Int32Array, h: number, max: number): void {
  for (let k = 0; k < SPINS; k++) {
    if (Atomics.load(i32, h + COUNT) < max || Atomics.load(i32, h + SHUTDOWN) !== 0) return;
  }
}

/**
 * The internal mutex: `lockWord`/`unlockWord`'s protocol (0 free, 1 held, 2 contended), with
 * the uncontended paths done here on a fixed-length view (several times cheaper than the
 * arena's length-tracking one); contended cases go to the futex layer.
 */
export function lock(i32: Int32Array, w: number): void {
  if (Atomics.compareExchange(i32, w, 0, 1) !== 0) lockWord(w, Number.POSITIVE_INFINITY);
}

export function unlock(i32: Int32Array, w: number): void {
  if (Atomics.compareExchange(i32, w, 1, 0) !== 1) unlockWord(w);
}

/** A queue's shared state, viewed from one thread. */
export class QueueCore {
  /** Word index of the header. */
  readonly h: number;
  readonly kind: number;
  /** Bytes per slot: priority slots carry a sort key after the item. */
  readonly stride: number;
  /** PriorityQueue ordering (set by PriorityQueue). */
  heap: Heap | null = null;
  /** The word the caller must wait on, set when an attempt returns WAIT. */
  #waitWord = 0;
  #waitSeq = 0;

  /** Byte just past the header (for {@link views}). */
  readonly #end: number;

  constructor(h: number) {
    this.h = h;
    this.#end = h * 4 + HEADER_BYTES;
    this.kind = views(this.#end).i32[h + KIND];
    this.stride = this.kind === PRIORITY ? SLOT_BYTES + 16 : SLOT_BYTES;
  }

  /** Allocate the shared state of a new queue. */
  static create(kind: number, maxsize: number): QueueCore {
    const ptr = allocPermanent(HEADER_BYTES);
    const a = views(ptr + HEADER_BYTES);
    a.i32[(ptr >> 2) + KIND] = kind;
    a.f64[(ptr >> 3) + (MAXSIZE >> 1)] = maxsize;
    return new QueueCore(ptr >> 2);
  }

  // --- plain reads (CPython reads these without the mutex too) ---

  qsize(): number {
    return Atomics.load(views(this.#end).i32, this.h + COUNT);
  }

  get maxsize(): number {
    return views(this.#end).f64[(this.h >> 1) + (MAXSIZE >> 1)];
  }

  set maxsize(value: number) {
    const i32 = views(this.#end).i32;
    lock(i32, this.h + MUTEX);
    views(this.#end).f64[(this.h >> 1) + (MAXSIZE >> 1)] = value;
    const putters = i32[this.h + N_PUT] > 0;
    if (putters) Atomics.add(i32, this.h + NOT_FULL, 1);
    unlock(i32, this.h + MUTEX);
    // Beyond CPython (which waits for the next get): a larger maxsize lets putters re-check now.
    if (putters) futexWake(this.h + NOT_FULL);
  }

  get unfinishedTasks(): number {
    return Atomics.load(views(this.#end).i32, this.h + UNFINISHED);
  }

  get isShutdown(): boolean {
    return Atomics.load(views(this.#end).i32, this.h + SHUTDOWN) !== 0;
  }

  full(): boolean {
    const max = this.maxsize;
    return 0 < max && max <= this.qsize();
  }

  // --- slot storage (under the mutex) ---

  /** Byte offset of the i-th slot in storage order. */
  slot(i: number): number {
    const i32 = views(this.#end).i32;
    const h = this.h;
    if (this.kind === FIFO)
      return i32[h + SLOTS] + ((i32[h + HEAD] + i) & (i32[h + CAP] - 1)) * this.stride;
    return i32[h + SLOTS] + i * this.stride;
  }

  #resize(cap: number): void {
    const i32 = views(this.#end).i32;
    const h = this.h;
    const count = i32[h + COUNT];
    const words = this.stride >> 2;
    const fresh = alloc(cap * this.stride);
    const old = i32[h + SLOTS];
    const all = views(fresh + cap * this.stride).i32;
    if (old !== 0) {
      const oldCap = i32[h + CAP];
      const head = this.kind === FIFO ? i32[h + HEAD] : 0;
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
  }

  #push(p: Prepared, item: unknown): void {
    const i32 = views(this.#end).i32;
    const h = this.h;
    const count = i32[h + COUNT];
    // Capacity is counted in items and grows on demand: only maxsize bounds a queue.
    if (count === i32[h + CAP]) this.#resize(Math.max(MIN_CAP, count * 2));
    if (this.heap) this.heap.push(this, count, p, item);
    else storeSlot(this.slot(count), p);
    i32[h + COUNT] = count + 1;
  }

  /** Remove the next item (the queue is not empty); returns a value for `finish`. */
  #pop(): Taken {
    const i32 = views(this.#end).i32;
    const h = this.h;
    const count = i32[h + COUNT];
    let taken: Taken;
    if (this.heap) {
      taken = this.heap.pop(this, count);
    } else if (this.kind === FIFO) {
      taken = takeSlot(this.slot(0));
      i32[h + HEAD] = (i32[h + HEAD] + 1) & (i32[h + CAP] - 1);
    } else {
      taken = takeSlot(this.slot(count - 1));
    }
    i32[h + COUNT] = count - 1;
    const cap = i32[h + CAP];
    if (cap > 64 && count - 1 < cap >> 2) this.#resize(cap >> 1);
    return taken;
  }

  // --- get ---

  /** One attempt under the mutex: the taken item, or WAIT (with #waitWord/#waitSeq set). */
  #tryGet(a: WaitArgs, deadline: Deadline): Taken | typeof WAIT {
    const i32 = views(this.#end).i32;
    const h = this.h;
    const count = i32[h + COUNT];
    if (count === 0 && i32[h + SHUTDOWN] !== 0) throw new ShutDown();
    if (a.block && a.timeout !== null && a.timeout < 0) {
      throw new ValueError("'timeout' must be a non-negative number");
    }
    if (count > 0) {
      const taken = this.#pop();
      if (i32[h + N_PUT] > 0) Atomics.add(i32, h + NOT_FULL, 1);
      return taken;
    }
    if (!a.block || remainingMs(deadline) <= 0) throw new Empty();
    checkOverflow(a);
    this.#waitWord = h + NOT_EMPTY;
    this.#waitSeq = Atomics.load(i32, h + NOT_EMPTY);
    return WAIT;
  }

  /** After a successful get: wake one putter if any waits (outside the mutex). */
  #afterGet(): void {
    if (Atomics.load(views(this.#end).i32, this.h + N_PUT) > 0) futexWake(this.h + NOT_FULL, 1);
  }

  get(a: WaitArgs): unknown {
    const i32 = views(this.#end).i32;
    const h = this.h;
    const deadline = timeoutDeadline(a);
    lock(i32, h + MUTEX);
    let taken: Taken | typeof WAIT;
    let spun = false;
    try {
      for (;;) {
        taken = this.#tryGet(a, deadline);
        if (taken !== WAIT) break;
        if (!spun) {
          // Once per call: spin a little before registering and parking.
          spun = true;
          unlock(i32, h + MUTEX);
          spinWhileEmpty(i32, h);
          lock(i32, h + MUTEX);
          continue;
        }
        const w = this.#waitWord;
        const seq = this.#waitSeq;
        i32[h + N_GET]++;
        unlock(i32, h + MUTEX);
        try {
          futexWait(w, seq, deadline);
        } finally {
          lock(i32, h + MUTEX);
          i32[h + N_GET]--;
        }
      }
    } finally {
      unlock(i32, h + MUTEX);
    }
    this.#afterGet();
    return finish(taken as Taken);
  }

  async getAsync(a: WaitArgs): Promise<unknown> {
    const i32 = views(this.#end).i32;
    const h = this.h;
    const deadline = timeoutDeadline(a);
    if (a.signal?.aborted) throw a.signal.reason;
    lock(i32, h + MUTEX);
    let taken: Taken | typeof WAIT;
    try {
      for (;;) {
        taken = this.#tryGet(a, deadline);
        if (taken !== WAIT) break;
        const w = this.#waitWord;
        const seq = this.#waitSeq;
        i32[h + N_GET]++;
        unlock(i32, h + MUTEX);
        try {
          await futexWaitAsync(w, seq, deadline, a.signal);
        } finally {
          lock(i32, h + MUTEX);
          i32[h + N_GET]--;
        }
      }
    } finally {
      unlock(i32, h + MUTEX);
    }
    this.#afterGet();
    return finish(taken as Taken);
  }

  // --- put ---

  /** One attempt under the mutex: true if stored, or WAIT. */
  #tryPut(
    a: WaitArgs,
    deadline: Deadline,
    p: Prepared,
    item: unknown,
    joinable: boolean,
  ): true | typeof WAIT {
    const i32 = views(this.#end).i32;
    const h = this.h;
    if (i32[h + SHUTDOWN] !== 0) throw new ShutDown();
    const max = this.maxsize;
    if (max > 0) {
      if (a.block && a.timeout !== null && a.timeout < 0) {
        throw new ValueError("'timeout' must be a non-negative number");
      }
      if (i32[h + COUNT] >= max) {
        if (!a.block || remainingMs(deadline) <= 0) throw new Full();
        checkOverflow(a);
        this.#waitWord = h + NOT_FULL;
        this.#waitSeq = Atomics.load(i32, h + NOT_FULL);
        return WAIT;
      }
    }
    this.#push(p, item);
    if (joinable) i32[h + UNFINISHED]++;
    if (i32[h + N_GET] > 0) Atomics.add(i32, h + NOT_EMPTY, 1);
    return true;
  }

  #afterPut(): void {
    if (Atomics.load(views(this.#end).i32, this.h + N_GET) > 0) futexWake(this.h + NOT_EMPTY, 1);
  }

  put(item: unknown, a: WaitArgs, joinable = true): void {
    const p = prepare(item, 'item');
    const i32 = views(this.#end).i32;
    const h = this.h;
    const deadline = timeoutDeadline(a);
    let stored = false;
    let spun = false;
    lock(i32, h + MUTEX);
    try {
      for (;;) {
        if (this.#tryPut(a, deadline, p, item, joinable) !== WAIT) break;
        if (!spun) {
          spun = true;
          unlock(i32, h + MUTEX);
          spinWhileFull(i32, h, this.maxsize);
          lock(i32, h + MUTEX);
          continue;
        }
        const w = this.#waitWord;
        const seq = this.#waitSeq;
        i32[h + N_PUT]++;
        unlock(i32, h + MUTEX);
        try {
          futexWait(w, seq, deadline);
        } finally {
          lock(i32, h + MUTEX);
          i32[h + N_PUT]--;
        }
      }
      stored = true;
    } finally {
      unlock(i32, h + MUTEX);
      if (!stored) release(p);
    }
    this.#afterPut();
  }

  async putAsync(item: unknown, a: WaitArgs, joinable = true): Promise<void> {
    if (a.signal?.aborted) throw a.signal.reason;
    const p = prepare(item, 'item');
    const i32 = views(this.#end).i32;
    const h = this.h;
    const deadline = timeoutDeadline(a);
    let stored = false;
    lock(i32, h + MUTEX);
    try {
      for (;;) {
        if (this.#tryPut(a, deadline, p, item, joinable) !== WAIT) break;
        const w = this.#waitWord;
        const seq = this.#waitSeq;
        i32[h + N_PUT]++;
        unlock(i32, h + MUTEX);
        try {
          await futexWaitAsync(w, seq, deadline, a.signal);
        } finally {
          lock(i32, h + MUTEX);
          i32[h + N_PUT]--;
        }
      }
      stored = true;
    } finally {
      unlock(i32, h + MUTEX);
      if (!stored) release(p);
    }
    this.#afterPut();
  }

  // --- task_done / join / shutdown ---

  taskDone(): void {
    const i32 = views(this.#end).i32;
    const h = this.h;
    let wake = false;
    lock(i32, h + MUTEX);
    try {
      const unfinished = i32[h + UNFINISHED] - 1;
      if (unfinished < 0) throw new ValueError('task_done() called too many times');
      if (unfinished === 0 && i32[h + N_JOIN] > 0) {
        Atomics.add(i32, h + ALL_DONE, 1);
        wake = true;
      }
      i32[h + UNFINISHED] = unfinished;
    } finally {
      unlock(i32, h + MUTEX);
    }
    if (wake) futexWake(h + ALL_DONE);
  }

  /** Under the mutex: whether join must wait (then #waitSeq is set). */
  #joinMustWait(): boolean {
    const i32 = views(this.#end).i32;
    if (i32[this.h + UNFINISHED] === 0) return false;
    this.#waitSeq = Atomics.load(i32, this.h + ALL_DONE);
    return true;
  }

  join(): void {
    const i32 = views(this.#end).i32;
    const h = this.h;
    lock(i32, h + MUTEX);
    try {
      while (this.#joinMustWait()) {
        const seq = this.#waitSeq;
        i32[h + N_JOIN]++;
        unlock(i32, h + MUTEX);
        try {
          futexWait(h + ALL_DONE, seq, Number.POSITIVE_INFINITY);
        } finally {
          lock(i32, h + MUTEX);
          i32[h + N_JOIN]--;
        }
      }
    } finally {
      unlock(i32, h + MUTEX);
    }
  }

  async joinAsync(signal?: AbortSignal): Promise<void> {
    const i32 = views(this.#end).i32;
    const h = this.h;
    if (signal?.aborted) throw signal.reason;
    lock(i32, h + MUTEX);
    try {
      while (this.#joinMustWait()) {
        const seq = this.#waitSeq;
        i32[h + N_JOIN]++;
        unlock(i32, h + MUTEX);
        try {
          await futexWaitAsync(h + ALL_DONE, seq, Number.POSITIVE_INFINITY, signal);
        } finally {
          lock(i32, h + MUTEX);
          i32[h + N_JOIN]--;
        }
      }
    } finally {
      unlock(i32, h + MUTEX);
    }
  }

  shutdown(immediate: boolean): void {
    const i32 = views(this.#end).i32;
    const h = this.h;
    lock(i32, h + MUTEX);
    try {
      i32[h + SHUTDOWN] = 1;
      if (immediate) {
        // Discard the items; each one counts as done, so join() can return.
        let count = i32[h + COUNT];
        while (count > 0) {
          discardSlot(this.slot(count - 1));
          count--;
          if (i32[h + UNFINISHED] > 0) i32[h + UNFINISHED]--;
        }
        i32[h + COUNT] = 0;
        i32[h + HEAD] = 0;
        Atomics.add(i32, h + ALL_DONE, 1);
      }
      Atomics.add(i32, h + NOT_EMPTY, 1);
      Atomics.add(i32, h + NOT_FULL, 1);
    } finally {
      unlock(i32, h + MUTEX);
    }
    if (immediate) futexWake(h + ALL_DONE);
    futexWake(h + NOT_EMPTY);
    futexWake(h + NOT_FULL);
  }
}
