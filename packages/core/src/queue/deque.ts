/**
 * A thread-safe shared `collections.deque`: a ring of 64-byte item slots in the arena (the
 * wire format of `shared/wire.ts`) behind one internal futex mutex. Items are copies
 * (structured clone semantics; shared objects arrive working), so `remove`, `count`, `index`
 * and `includes` compare with Python's `==` (by value), not by identity.
 */
import { IndexError, RuntimeError, ValueError } from '../errors.js';
import { alloc, free } from '../memory/arena.js';
import { views } from '../memory/views.js';
import { lockWordIn, unlockWordIn } from '../parking/word-lock.js';
import { attach, takeAttached } from '../shared/attach.js';
import { pyEqual } from '../shared/compare.js';
import { type IndexedTarget, indexed } from '../shared/indexed.js';
import { allocObject, defineLifetime, OBJECT_HEADER, track } from '../shared/lifetime.js';
import { registerSharedType, SHARED, type SharedDescriptor } from '../shared/protocol.js';
import {
  discardSlot,
  finish,
  moveSlot,
  type Prepared,
  peekSlot,
  prepare,
  release,
  SLOT_BYTES,
  storeSlot,
  type Taken,
  takeSlot,
} from '../shared/wire.js';
import { describe } from '../timeout.js';

const MUTEX = 0;
const COUNT = 1;
const HEAD = 2;
const CAP = 3;
const SLOTS = 4;
const MAXLEN = 5; // -1: unbounded
const VERSION = 6; // bumped by every mutation, for "deque mutated during iteration"
const HEADER_BYTES = 32;
const MIN_CAP = 8;

// State under a symbol: methods run with `this` bound to the indexing proxy.
const ST = Symbol('threadkit.deque');

interface State {
  /** Word index of the header. */
  h: number;
  /** Byte just past the header. */
  end: number;
}

function header(s: State): Int32Array {
  return views(s.end).i32;
}

function slotAt(i32: Int32Array, h: number, i: number): number {
  return i32[h + SLOTS] + ((i32[h + HEAD] + i) & (i32[h + CAP] - 1)) * SLOT_BYTES;
}

function resize(i32: Int32Array, h: number, cap: number): void {
  const count = i32[h + COUNT];
  const fresh = alloc(cap * SLOT_BYTES);
  const old = i32[h + SLOTS];
  if (old !== 0) {
    const oldCap = i32[h + CAP];
    // Views over both blocks (a recycled block may lie below the old one, or above).
    const all = views(Math.max(fresh + cap * SLOT_BYTES, old + oldCap * SLOT_BYTES)).i32;
    const head = i32[h + HEAD];
    const words = SLOT_BYTES >> 2;
    const first = Math.min(count, oldCap - head);
    all.copyWithin(fresh >> 2, (old >> 2) + head * words, (old >> 2) + (head + first) * words);
    if (first < count)
      all.copyWithin((fresh >> 2) + first * words, old >> 2, (old >> 2) + (count - first) * words);
    free(old);
  }
  i32[h + SLOTS] = fresh;
  i32[h + CAP] = cap;
  i32[h + HEAD] = 0;
}

/** A deque owns its slot array and the items in it (their shared objects' counts too). */
const DEQUE = defineLifetime('Deque', {
  free(at) {
    const h = at >> 2;
    const i32 = views(at + HEADER_BYTES).i32;
    for (let i = 0; i < i32[h + COUNT]; i++) discardSlot(slotAt(i32, h, i));
    if (i32[h + SLOTS] !== 0) free(i32[h + SLOTS]);
  },
});

function ensureRoom(i32: Int32Array, h: number): void {
  const count = i32[h + COUNT];
  if (count === i32[h + CAP]) resize(i32, h, Math.max(MIN_CAP, count * 2));
}

function maybeShrink(i32: Int32Array, h: number): void {
  const cap = i32[h + CAP];
  if (cap > 64 && i32[h + COUNT] < cap >> 2) resize(i32, h, cap >> 1);
}

function reprItem(x: unknown): string {
  if (typeof x === 'string') return `'${x}'`;
  if (x === null || typeof x !== 'object') return String(x);
  try {
    return JSON.stringify(x) ?? describe(x);
  } catch {
    return describe(x);
  }
}

function checkMaxlen(maxlen: unknown): number {
  if (maxlen == null) return -1;
  if (typeof maxlen !== 'number' || !Number.isInteger(maxlen)) {
    throw new TypeError(`an integer is required for maxlen, not ${describe(maxlen)}`);
  }
  if (maxlen < 0) throw new ValueError('maxlen must be non-negative');
  if (maxlen > 0x7fffffff) throw new ValueError('maxlen is too large');
  return maxlen;
}

/** Run `fn` under the deque's internal mutex with the header words. */
function locked<R>(s: State, fn: (i32: Int32Array, h: number) => R): R {
  const i32 = header(s);
  lockWordIn(i32, s.h + MUTEX);
  try {
    return fn(i32, s.h);
  } finally {
    unlockWordIn(i32, s.h + MUTEX);
  }
}

function pushOne(i32: Int32Array, h: number, p: Prepared, left: boolean): void {
  const max = i32[h + MAXLEN];
  if (max === 0) {
    release(p); // a deque of maxlen 0 keeps nothing
    return;
  }
  if (i32[h + COUNT] === max) {
    // Full: the item at the other end falls off.
    if (left) discardSlot(slotAt(i32, h, i32[h + COUNT] - 1));
    else {
      discardSlot(slotAt(i32, h, 0));
      i32[h + HEAD] = (i32[h + HEAD] + 1) & (i32[h + CAP] - 1);
    }
    i32[h + COUNT]--;
  }
  ensureRoom(i32, h);
  if (left) {
    i32[h + HEAD] = (i32[h + HEAD] - 1) & (i32[h + CAP] - 1);
    storeSlot(slotAt(i32, h, 0), p);
  } else {
    storeSlot(slotAt(i32, h, i32[h + COUNT]), p);
  }
  i32[h + COUNT]++;
  i32[h + VERSION]++;
}

function pushAll(s: State, items: Iterable<unknown>, left: boolean): void {
  // Encode outside the mutex (and snapshot first: `d.extend(d)` is allowed in Python).
  const prepared = Array.from(items, (x) => prepare(x, 'item'));
  let next = 0;
  try {
    locked(s, (i32, h) => {
      for (; next < prepared.length; next++) pushOne(i32, h, prepared[next], left);
    });
  } finally {
    for (; next < prepared.length; next++) release(prepared[next]);
  }
}

function take(s: State, left: boolean): unknown {
  const taken = locked(s, (i32, h) => {
    const count = i32[h + COUNT];
    if (count === 0) throw new IndexError('pop from an empty deque');
    let v: Taken;
    if (left) {
      v = takeSlot(slotAt(i32, h, 0));
      i32[h + HEAD] = (i32[h + HEAD] + 1) & (i32[h + CAP] - 1);
    } else {
      v = takeSlot(slotAt(i32, h, count - 1));
    }
    i32[h + COUNT] = count - 1;
    i32[h + VERSION]++;
    maybeShrink(i32, h);
    return v;
  });
  return finish(taken);
}

/** Under the mutex: remove the item at `i`, closing the gap from the nearer end. */
function deleteAt(i32: Int32Array, h: number, i: number): void {
  const count = i32[h + COUNT];
  discardSlot(slotAt(i32, h, i));
  if (i < count >> 1) {
    for (let k = i; k > 0; k--) moveSlot(slotAt(i32, h, k - 1), slotAt(i32, h, k));
    i32[h + HEAD] = (i32[h + HEAD] + 1) & (i32[h + CAP] - 1);
  } else {
    for (let k = i; k < count - 1; k++) moveSlot(slotAt(i32, h, k + 1), slotAt(i32, h, k));
  }
  i32[h + COUNT] = count - 1;
  i32[h + VERSION]++;
  maybeShrink(i32, h);
}

/** Under the mutex: the first index in [start, stop) holding an item equal to x, or -1. */
function find(
  i32: Int32Array,
  h: number,
  x: unknown,
  start = 0,
  stop = Number.POSITIVE_INFINITY,
): number {
  const count = i32[h + COUNT];
  for (let i = Math.max(0, start); i < Math.min(count, stop); i++) {
    if (pyEqual(peekSlot(slotAt(i32, h, i)), x)) return i;
  }
  return -1;
}

/** Options of {@link Deque}. */
export interface DequeOptions {
  /** Bound the length: appending to a full deque drops an item from the other end. */
  maxlen?: number | null;
}

/**
 * `collections.deque`, shared between threads and safe to use from several at once: every
 * method is atomic. `d[i]` reads and writes items (negative indices too), `length`, iteration
 * (a `RuntimeError` if the deque changes meanwhile, as in Python), and an optional `maxlen`.
 */
export class Deque implements IndexedTarget, Iterable<any> {
  /** @internal */
  declare [ST]: State;
  /** Item access: `d[0]`, `d[-1] = x`. */
  [index: number]: any;

  /**
   * `new Deque(iterable?, maxlen?)` or `new Deque(iterable, { maxlen })`.
   */
  constructor(iterable?: Iterable<unknown> | null, maxlen?: number | null | DequeOptions) {
    const h = takeAttached<number>();
    let state: State;
    let ref = 0;
    if (h !== undefined) {
      state = { h, end: h * 4 + HEADER_BYTES };
    } else {
      const max = checkMaxlen(
        maxlen !== null && typeof maxlen === 'object' ? maxlen.maxlen : maxlen,
      );
      ref = allocObject(DEQUE, HEADER_BYTES);
      const ptr = ref + OBJECT_HEADER;
      state = { h: ptr >> 2, end: ptr + HEADER_BYTES };
      header(state)[state.h + MAXLEN] = max;
    }
    Object.defineProperty(this, ST, { value: state });
    const self = indexed(this);
    if (ref !== 0) track(self, ref, false); // the proxy is the handle users hold
    if (h === undefined && iterable != null) self.extend(iterable);
    // biome-ignore lint/correctness/noConstructorReturn: the indexing proxy is the instance
    return self;
  }

  /** Number of items. */
  get length(): number {
    const s = this[ST];
    return Atomics.load(header(s), s.h + COUNT);
  }

  /** The bound given to the constructor, or null. */
  get maxlen(): number | null {
    const s = this[ST];
    const m = header(s)[s.h + MAXLEN];
    return m < 0 ? null : m;
  }

  /** Add `x` to the right end. */
  append(x: unknown): void {
    pushAll(this[ST], [x], false);
  }

  /** Add `x` to the left end. */
  appendleft(x: unknown): void {
    pushAll(this[ST], [x], true);
  }

  /** Append every item of `iterable` to the right end. */
  extend(iterable: Iterable<unknown>): void {
    pushAll(this[ST], iterable, false);
  }

  /** Append every item of `iterable` to the left end (so they end up reversed). */
  extendleft(iterable: Iterable<unknown>): void {
    pushAll(this[ST], iterable, true);
  }

  /** Remove and return the rightmost item; `IndexError('pop from an empty deque')` when empty. */
  pop(): any {
    return take(this[ST], false);
  }

  /** Remove and return the leftmost item; `IndexError('pop from an empty deque')` when empty. */
  popleft(): any {
    return take(this[ST], true);
  }

  /** Insert `x` before position `i` (list.insert's clamping); IndexError when at maxlen. */
  insert(i: number, x: unknown): void {
    const p = prepare(x, 'item');
    let stored = false;
    try {
      locked(this[ST], (i32, h) => {
        const count = i32[h + COUNT];
        if (count === i32[h + MAXLEN]) throw new IndexError('deque already at its maximum size');
        let at = Math.trunc(i);
        if (at < 0) at = Math.max(0, at + count);
        if (at > count) at = count;
        ensureRoom(i32, h);
        if (at < count >> 1) {
          i32[h + HEAD] = (i32[h + HEAD] - 1) & (i32[h + CAP] - 1);
          for (let k = 0; k < at; k++) moveSlot(slotAt(i32, h, k + 1), slotAt(i32, h, k));
        } else {
          for (let k = count; k > at; k--) moveSlot(slotAt(i32, h, k - 1), slotAt(i32, h, k));
        }
        storeSlot(slotAt(i32, h, at), p);
        stored = true;
        i32[h + COUNT] = count + 1;
        i32[h + VERSION]++;
      });
    } finally {
      if (!stored) release(p);
    }
  }

  /** Remove the first item equal to `x`; `ValueError` if there is none. */
  remove(x: unknown): void {
    locked(this[ST], (i32, h) => {
      const i = find(i32, h, x);
      if (i < 0) throw new ValueError('deque.remove(x): x not in deque');
      deleteAt(i32, h, i);
    });
  }

  /** Number of items equal to `x`. */
  count(x: unknown): number {
    return locked(this[ST], (i32, h) => {
      let n = 0;
      for (let i = 0; i < i32[h + COUNT]; i++) if (pyEqual(peekSlot(slotAt(i32, h, i)), x)) n++;
      return n;
    });
  }

  /** Position of the first item equal to `x` in `[start, stop)`; `ValueError` if none. */
  index(x: unknown, start = 0, stop?: number): number {
    return locked(this[ST], (i32, h) => {
      const n = i32[h + COUNT];
      const from = start < 0 ? Math.max(0, start + n) : start;
      const to = stop === undefined ? n : stop < 0 ? Math.max(0, stop + n) : stop;
      const i = find(i32, h, x, from, to);
      if (i < 0) throw new ValueError(`${reprItem(x)} is not in deque`);
      return i;
    });
  }

  /** `x in d`. */
  includes(x: unknown): boolean {
    return locked(this[ST], (i32, h) => find(i32, h, x) >= 0);
  }

  /** Rotate `n` steps to the right (to the left when negative). */
  rotate(n = 1): void {
    if (!Number.isInteger(n)) throw new TypeError(`an integer is required, not ${describe(n)}`);
    locked(this[ST], (i32, h) => {
      const count = i32[h + COUNT];
      if (count <= 1) return;
      let k = ((n % count) + count) % count; // steps to the right
      if (k === 0) return;
      const mask = i32[h + CAP] - 1;
      if (k <= count >> 1) {
        // Move the last k items, one by one, in front of the head.
        for (; k > 0; k--) {
          const from = slotAt(i32, h, count - 1);
          i32[h + HEAD] = (i32[h + HEAD] - 1) & mask;
          moveSlot(from, slotAt(i32, h, 0));
        }
      } else {
        // Cheaper the other way: move the first (count - k) items behind the tail.
        for (let left = count - k; left > 0; left--) {
          const from = slotAt(i32, h, 0);
          i32[h + HEAD] = (i32[h + HEAD] + 1) & mask;
          moveSlot(from, slotAt(i32, h, count - 1));
        }
      }
      i32[h + VERSION]++;
    });
  }

  /** Reverse the items in place. */
  reverse(): void {
    locked(this[ST], (i32, h) => {
      const count = i32[h + COUNT];
      const tmp = alloc(SLOT_BYTES);
      try {
        for (let a = 0, b = count - 1; a < b; a++, b--) {
          moveSlot(slotAt(i32, h, a), tmp);
          moveSlot(slotAt(i32, h, b), slotAt(i32, h, a));
          moveSlot(tmp, slotAt(i32, h, b));
        }
      } finally {
        free(tmp);
      }
      i32[h + VERSION]++;
    });
  }

  /** Remove every item. */
  clear(): void {
    locked(this[ST], (i32, h) => {
      const count = i32[h + COUNT];
      for (let i = 0; i < count; i++) discardSlot(slotAt(i32, h, i));
      i32[h + COUNT] = 0;
      i32[h + HEAD] = 0;
      i32[h + VERSION]++;
      maybeShrink(i32, h);
    });
  }

  /** `d[i]`: the item at `i` (negative counts from the right); `IndexError` when out of range. */
  at(i: number): any {
    return this.getItem(i);
  }

  /** `d[i]`, with Python's negative indices; IndexError when out of range (what `d[i]` calls). */
  getItem(i: number): any {
    return locked(this[ST], (i32, h) => {
      const count = i32[h + COUNT];
      const k = i < 0 ? i + count : i;
      if (k < 0 || k >= count) throw new IndexError('deque index out of range');
      return peekSlot(slotAt(i32, h, k));
    });
  }

  /** `d[i] = x`, with negative indices; IndexError when out of range (what `d[i] = x` calls). */
  setItem(i: number, x: unknown): void {
    const p = prepare(x, 'item');
    let stored = false;
    try {
      locked(this[ST], (i32, h) => {
        const count = i32[h + COUNT];
        const k = i < 0 ? i + count : i;
        if (k < 0 || k >= count) throw new IndexError('deque assignment index out of range');
        const base = slotAt(i32, h, k);
        discardSlot(base);
        storeSlot(base, p);
        stored = true;
        i32[h + VERSION]++;
      });
    } finally {
      if (!stored) release(p);
    }
  }

  /** The items, left to right, as a JS array (one atomic snapshot). */
  toArray(): any[] {
    return locked(this[ST], (i32, h) => {
      const out: unknown[] = [];
      for (let i = 0; i < i32[h + COUNT]; i++) out.push(peekSlot(slotAt(i32, h, i)));
      return out;
    });
  }

  /** A new Deque with the same items and maxlen. */
  copy(): Deque {
    return new Deque(this.toArray(), this.maxlen);
  }

  /** Items left to right; `RuntimeError('deque mutated during iteration')` if it changes meanwhile. */
  *[Symbol.iterator](): Iterator<any> {
    const s = this[ST];
    const version = header(s)[s.h + VERSION];
    for (let i = 0; ; i++) {
      const step = locked(this[ST], (i32, h) => {
        if (i32[h + VERSION] !== version) throw new RuntimeError('deque mutated during iteration');
        if (i >= i32[h + COUNT]) return { done: true, value: undefined };
        return { done: false, value: peekSlot(slotAt(i32, h, i)) };
      });
      if (step.done) return;
      yield step.value;
    }
  }

  /** @internal The shared-object description. */
  [SHARED](): SharedDescriptor {
    return { type: 'Deque', words: [this[ST].h] };
  }

  /** `JSON.stringify(d)`: the items as an array. */
  toJSON(): unknown[] {
    return this.toArray();
  }

  /** How `console.log` shows it: Python's repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** A Python-style repr. */
  toString(): string {
    const items = this.toArray().map(reprItem).join(', ');
    const max = this.maxlen;
    return max === null ? `deque([${items}])` : `deque([${items}], maxlen=${max})`;
  }
}

registerSharedType('Deque', (d) => attach(d.words[0], () => new Deque()));
