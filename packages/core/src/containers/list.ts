/**
 * A shared `list`: a growable array of 64-byte item slots in the arena (the wire format of
 * `shared/wire.ts`) behind one internal mutex, so each method is one atomic step for every
 * thread, as under CPython's GIL. Items are copies (shared objects arrive working, by
 * reference), so `remove`, `count`, `index` and `includes` compare with Python's `==`.
 */
import { IndexError, ValueError } from '../errors.js';
import { alloc, blockCapacity, free } from '../memory/arena.js';
import { views } from '../memory/views.js';
import { attach, takeAttached } from '../shared/attach.js';
import { pyEqual, pyLess } from '../shared/compare.js';
import { type IndexedTarget, indexed } from '../shared/indexed.js';
import { allocObject, defineLifetime, OBJECT_HEADER, track } from '../shared/lifetime.js';
import { registerSharedType, SHARED, type SharedDescriptor } from '../shared/protocol.js';
import {
  discardSlot,
  finish,
  moveSlot,
  NOT_PLAIN,
  type Prepared,
  peekPlain,
  peekSlot,
  prepare,
  release,
  SLOT_BYTES,
  SLOT_WORDS,
  storeNumberIn,
  storeSlot,
  takeSlot,
} from '../shared/wire.js';
import { describe } from '../timeout.js';
import { repr } from './repr.js';
import { readBegin, readValid, seqLock, seqUnlock } from './seqlock.js';

const MUTEX = 0; // containers/seqlock.ts: the mutex and the version of optimistic reads
const COUNT = 1;
const CAP = 2;
const SLOTS = 3;
const VERSION = 4; // bumped by every mutation (a sort detects a list changed meanwhile)
const HEADER_BYTES = 24;
const MIN_CAP = 4;
/** Slots (64 KiB) that `clear()` keeps rather than frees. */
const KEEP_ON_CLEAR = 1024;

const ST = Symbol('threadkit.list');

interface State {
  /** Word index of the header. */
  h: number;
  /** Byte just past the header. */
  end: number;
  /** The mutex word as this thread last released it (containers/seqlock.ts `guess`). */
  seen: number;
}

/** Options of {@link SharedList.sort}, as Python's `list.sort(key=…, reverse=…)`. */
export interface SortOptions<T> {
  /** Sort by `key(item)` instead of the item. */
  key?: (item: T) => unknown;
  /** Largest first (equal items keep their order, as in Python). */
  reverse?: boolean;
}

function slotAt(i32: Int32Array, h: number, i: number): number {
  return i32[h + SLOTS] + i * SLOT_BYTES;
}

/** Under the mutex: views covering the header and the slots. */
function cover(hdr: Int32Array, h: number): Int32Array {
  const need = hdr[h + SLOTS] + hdr[h + CAP] * SLOT_BYTES;
  return need > hdr.length * 4 ? views(need).i32 : hdr;
}

function locked<R>(s: State, fn: (i32: Int32Array, h: number) => R): R {
  const hdr = views(s.end).i32;
  const held = seqLock(hdr, s.h + MUTEX, s.seen);
  try {
    return fn(cover(hdr, s.h), s.h);
  } finally {
    s.seen = seqUnlock(hdr, s.h + MUTEX, held);
  }
}

/** Move the slots into a block of room for `want` items; returns covering views. */
function resize(i32: Int32Array, h: number, want: number): Int32Array {
  const fresh = alloc(Math.max(want, MIN_CAP) * SLOT_BYTES);
  const cap = Math.floor(blockCapacity(fresh) / SLOT_BYTES);
  const old = i32[h + SLOTS];
  const n = i32[h + COUNT];
  const all = views(Math.max(fresh + cap * SLOT_BYTES, old + n * SLOT_BYTES)).i32;
  if (old !== 0) {
    all.copyWithin(fresh >> 2, old >> 2, (old >> 2) + n * SLOT_WORDS);
    free(old);
  }
  all[h + SLOTS] = fresh;
  all[h + CAP] = cap;
  return all;
}

function ensureRoom(i32: Int32Array, h: number, extra: number): Int32Array {
  const need = i32[h + COUNT] + extra;
  return need <= i32[h + CAP] ? i32 : resize(i32, h, Math.max(need, i32[h + COUNT] * 2));
}

function maybeShrink(i32: Int32Array, h: number): void {
  const cap = i32[h + CAP];
  const n = i32[h + COUNT];
  if (n === 0 && cap > 0) {
    free(i32[h + SLOTS]);
    i32[h + SLOTS] = 0;
    i32[h + CAP] = 0;
  } else if (cap > 64 && n * 4 < cap) resize(i32, h, n * 2);
}

/** Python's index normalisation for item access; -1 when out of range. */
function norm(i: number, n: number): number {
  if (!Number.isInteger(i)) {
    throw new TypeError(`list indices must be integers, not ${describe(i)}`);
  }
  const k = i < 0 ? i + n : i;
  return k < 0 || k >= n ? -1 : k;
}

/** A slice bound, clamped as Python's `slice.indices`. */
function bound(x: number | undefined, n: number, dflt: number): number {
  if (x === undefined) return dflt;
  const k = Math.trunc(x);
  return k < 0 ? Math.max(0, k + n) : Math.min(k, n);
}

function shiftRight(i32: Int32Array, h: number, at: number): void {
  const n = i32[h + COUNT];
  if (at < n) moveSlot(slotAt(i32, h, at), slotAt(i32, h, at + 1), (n - at) * SLOT_WORDS);
}

function closeGap(i32: Int32Array, h: number, at: number): void {
  const n = i32[h + COUNT];
  if (at < n - 1) moveSlot(slotAt(i32, h, at + 1), slotAt(i32, h, at), (n - 1 - at) * SLOT_WORDS);
  i32[h + COUNT] = n - 1;
  i32[h + VERSION]++;
  maybeShrink(i32, h);
}

/** Under the mutex: the first index in [from, to) with an item equal to `x`, or -1. */
function find(i32: Int32Array, h: number, x: unknown, from: number, to: number): number {
  for (let i = from; i < Math.min(to, i32[h + COUNT]); i++) {
    if (pyEqual(peekSlot(slotAt(i32, h, i)), x)) return i;
  }
  return -1;
}

/** Under the mutex: reorder the slots so that position k holds the item that was at order[k]. */
function permute(i32: Int32Array, h: number, order: number[]): void {
  const n = order.length;
  if (n === 0) return;
  const old = i32[h + SLOTS];
  const fresh = alloc(i32[h + CAP] * SLOT_BYTES);
  for (let k = 0; k < n; k++) moveSlot(old + order[k] * SLOT_BYTES, fresh + k * SLOT_BYTES);
  free(old);
  const a = views(fresh + n * SLOT_BYTES).i32;
  a[h + SLOTS] = fresh;
  a[h + VERSION]++;
}

function lockedGet(s: State, i: number): unknown {
  return locked(s, (i32, h) => {
    const k = norm(i, i32[h + COUNT]);
    if (k < 0) throw new IndexError('list index out of range');
    return peekSlot(slotAt(i32, h, k));
  });
}

function pushAll(s: State, items: unknown[], at: number | null): void {
  const prepared = items.map((x) => prepare(x, 'item'));
  let next = 0;
  try {
    locked(s, (i32, h) => {
      i32 = ensureRoom(i32, h, prepared.length);
      let pos = at === null ? i32[h + COUNT] : at;
      if (pos < 0) pos = Math.max(0, pos + i32[h + COUNT]);
      pos = Math.min(pos, i32[h + COUNT]);
      for (; next < prepared.length; next++, pos++) {
        shiftRight(i32, h, pos);
        storeSlot(slotAt(i32, h, pos), prepared[next]);
        i32[h + COUNT]++;
      }
      i32[h + VERSION]++;
    });
  } finally {
    for (; next < prepared.length; next++) release(prepared[next]);
  }
}

/**
 * `append` of a number, the hot path spelled out: one set of views for the lock, the header
 * and the slot (re-made only when the list grows or the slot lies beyond them), no closures.
 */
function appendNumber(s: State, x: number): void {
  const h = s.h;
  let v = views(s.end);
  const held = seqLock(v.i32, h + MUTEX, s.seen);
  const n = v.i32[h + COUNT];
  let base = v.i32[h + SLOTS] + n * SLOT_BYTES;
  if (n === v.i32[h + CAP] || base + SLOT_BYTES > v.len) {
    try {
      if (n === v.i32[h + CAP]) resize(v.i32, h, Math.max(MIN_CAP, n * 2));
      base = views(s.end).i32[h + SLOTS] + n * SLOT_BYTES;
      v = views(base + SLOT_BYTES);
    } catch (err) {
      s.seen = seqUnlock(views(s.end).i32, h + MUTEX, held);
      throw err;
    }
  }
  storeNumberIn(v, base, x);
  v.i32[h + COUNT] = n + 1;
  v.i32[h + VERSION]++;
  s.seen = seqUnlock(v.i32, h + MUTEX, held);
}

/** `append` of an encoded item (its blocks are given back if it is not stored). */
function appendPrepared(s: State, p: Prepared): void {
  const h = s.h;
  const hdr = views(s.end).i32;
  let stored = false;
  const held = seqLock(hdr, h + MUTEX, s.seen);
  try {
    let i32 = cover(hdr, h);
    const n = i32[h + COUNT];
    if (n === i32[h + CAP]) i32 = resize(i32, h, Math.max(MIN_CAP, n * 2));
    storeSlot(i32[h + SLOTS] + n * SLOT_BYTES, p);
    stored = true;
    i32[h + COUNT] = n + 1;
    i32[h + VERSION]++;
  } finally {
    s.seen = seqUnlock(hdr, h + MUTEX, held);
    if (!stored) release(p);
  }
}

/** Reclaimed with its items once no thread can reach it (shared/lifetime.ts). */
const LIST = defineLifetime('SharedList', { free: (at) => SharedList.destroy(at) });

/**
 * Python's `list`, shared between threads: `new SharedList(iterable?)`.
 *
 * `l[i]` reads and writes items (negative indices count from the end, as in Python; also
 * `at(i)`, `get(i)` and `set(i, x)`), `length`, `append`, `extend`, `insert`, `pop(i = -1)`,
 * `remove`, `index`, `count`, `includes`, `reverse`, `sort` (Python's ordering, a comparator,
 * or `{ key, reverse }`), `clear`, iteration (over a snapshot taken when it starts) and
 * `slice` to a plain array. Each method is atomic with respect to other threads; compound
 * steps need a {@link Lock}, as in Python. It crosses threads by reference, and nests in
 * other containers and queues.
 */
export class SharedList<T = any> implements IndexedTarget, Iterable<T> {
  /** @internal */
  declare [ST]: State;
  /** Item access: `l[0]`, `l[-1] = x`. */
  [index: number]: T;

  constructor(iterable?: Iterable<T> | null) {
    const ptr0 = takeAttached<number>();
    let ptr = ptr0;
    let ref = 0;
    if (ptr === undefined) {
      ref = allocObject(LIST, HEADER_BYTES); // zeroed; reclaimed by shared/lifetime.ts
      ptr = ref + OBJECT_HEADER;
    }
    Object.defineProperty(this, ST, { value: { h: ptr >> 2, end: ptr + HEADER_BYTES, seen: 0 } });
    const self = indexed(this);
    if (ref !== 0) track(self, ref, false); // the proxy is the handle users hold
    if (ptr0 === undefined && iterable != null) self.extend(iterable);
    // biome-ignore lint/correctness/noConstructorReturn: the indexing proxy is the instance
    return self;
  }

  /** Number of items (`len(l)`). */
  get length(): number {
    const s = this[ST];
    return Atomics.load(views(s.end).i32, s.h + COUNT);
  }

  /** `l.append(x)`. */
  append(x: T): void {
    if (typeof x === 'number') appendNumber(this[ST], x);
    else appendPrepared(this[ST], prepare(x, 'item'));
  }

  /** `l.extend(iterable)`: append every item, in one atomic step (`l.extend(l)` too). */
  extend(iterable: Iterable<T>): void {
    pushAll(this[ST], Array.from(iterable), null);
  }

  /** `l.insert(i, x)`: insert before position `i` (clamped, negative from the end, as Python). */
  insert(i: number, x: T): void {
    if (!Number.isInteger(i)) throw new TypeError(`an integer is required, not ${describe(i)}`);
    pushAll(this[ST], [x], i);
  }

  /** `l.pop(i = -1)`: remove and return the item at `i`; `IndexError` when out of range. */
  pop(i = -1): T {
    const taken = locked(this[ST], (i32, h) => {
      const n = i32[h + COUNT];
      if (n === 0) throw new IndexError('pop from empty list');
      const k = norm(i, n);
      if (k < 0) throw new IndexError('pop index out of range');
      const t = takeSlot(slotAt(i32, h, k));
      closeGap(i32, h, k);
      return t;
    });
    return finish(taken) as T;
  }

  /** `l.remove(x)`: remove the first item equal to `x`; `ValueError` if there is none. */
  remove(x: unknown): void {
    locked(this[ST], (i32, h) => {
      const k = find(i32, h, x, 0, i32[h + COUNT]);
      if (k < 0) throw new ValueError('list.remove(x): x not in list');
      discardSlot(slotAt(i32, h, k));
      closeGap(i32, h, k);
    });
  }

  /** `l.index(x, start, stop)`: the first position of an item equal to `x`; `ValueError` if none. */
  index(x: unknown, start?: number, stop?: number): number {
    return locked(this[ST], (i32, h) => {
      const n = i32[h + COUNT];
      const k = find(i32, h, x, bound(start, n, 0), bound(stop, n, n));
      if (k < 0) throw new ValueError(`${repr(x)} is not in list`);
      return k;
    });
  }

  /** `l.count(x)`: the number of items equal to `x`. */
  count(x: unknown): number {
    return locked(this[ST], (i32, h) => {
      let c = 0;
      for (let i = 0; i < i32[h + COUNT]; i++) if (pyEqual(peekSlot(slotAt(i32, h, i)), x)) c++;
      return c;
    });
  }

  /** `x in l`. */
  includes(x: unknown): boolean {
    return locked(this[ST], (i32, h) => find(i32, h, x, 0, i32[h + COUNT]) >= 0);
  }

  /** `l.reverse()`: reverse in place. */
  reverse(): void {
    locked(this[ST], (i32, h) => {
      const n = i32[h + COUNT];
      permute(
        i32,
        h,
        Array.from({ length: n }, (_, k) => n - 1 - k),
      );
    });
  }

  /**
   * `l.sort()`: sort in place, stably, by Python's `<` (a TypeError for items it cannot
   * order), by a comparator `(a, b) => number`, or by `{ key, reverse }` as Python's. The
   * comparison runs outside the mutex (it may be user code); a list changed meanwhile gives
   * Python's `ValueError('list modified during sort')` and stays as it was.
   */
  sort(how?: ((a: T, b: T) => number) | SortOptions<T> | null): void {
    const s = this[ST];
    const [items, version] = locked(s, (i32, h) => {
      const out: T[] = [];
      for (let i = 0; i < i32[h + COUNT]; i++) out.push(peekSlot(slotAt(i32, h, i)) as T);
      return [out, i32[h + VERSION]] as const;
    });
    let cmp: (a: number, b: number) => number;
    if (typeof how === 'function') {
      cmp = (a, b) => how(items[a], items[b]);
    } else {
      const keys: unknown[] = how?.key ? items.map(how.key) : items;
      const sign = how?.reverse ? -1 : 1;
      cmp = (a, b) => (pyLess(keys[a], keys[b]) ? -sign : pyLess(keys[b], keys[a]) ? sign : 0);
    }
    const order = Array.from(items, (_, k) => k).sort(cmp);
    locked(s, (i32, h) => {
      if (i32[h + VERSION] !== version) throw new ValueError('list modified during sort');
      permute(i32, h, order);
    });
  }

  /** Remove every item. */
  clear(): void {
    locked(this[ST], (i32, h) => {
      for (let i = 0; i < i32[h + COUNT]; i++) discardSlot(slotAt(i32, h, i));
      i32[h + COUNT] = 0;
      i32[h + VERSION]++;
      // A small block stays for the items that usually follow (a list filled and cleared in
      // rounds would otherwise grow from nothing each time: nine moves to reach 1 000 items).
      if (i32[h + CAP] > KEEP_ON_CLEAR) maybeShrink(i32, h);
    });
  }

  /** `l[i]`: the item at `i` (negative counts from the end); `IndexError` when out of range. */
  at(i: number): T {
    return this.getItem(i);
  }

  /** `l[i]`, as {@link at}. */
  get(i: number): T {
    return this.getItem(i);
  }

  /** `l[i] = x`: replace the item at `i`; `IndexError` when out of range. */
  set(i: number, x: T): void {
    this.setItem(i, x);
  }

  /** `l[i]`, with Python's negative indices; IndexError out of range (what `l[i]` calls). */
  getItem(i: number): T {
    const s = this[ST];
    if (Number.isInteger(i)) {
      // Optimistic read (containers/seqlock.ts): no write to shared memory when the item is
      // an inline primitive and no writer ran meanwhile; anything else takes the mutex.
      const hdr = views(s.end).i32;
      const h = s.h;
      const v = readBegin(hdr, h + MUTEX);
      if (v !== -1) {
        const n = hdr[h + COUNT];
        const k = i < 0 ? i + n : i;
        if (k >= 0 && k < n) {
          const x = peekPlain(hdr[h + SLOTS] + k * SLOT_BYTES);
          if (x !== NOT_PLAIN && readValid(hdr, h + MUTEX, v)) return x as T;
        }
      }
    }
    return lockedGet(s, i) as T;
  }

  /** `l[i] = x`, with negative indices ; IndexError out of range (what `l[i] = x` calls). */
  setItem(i: number, x: unknown): void {
    const p: Prepared = prepare(x, 'item');
    let stored = false;
    try {
      locked(this[ST], (i32, h) => {
        const k = norm(i, i32[h + COUNT]);
        if (k < 0) throw new IndexError('list assignment index out of range');
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

  /** `l[start:stop:step]` as a plain array of copies (Python's clamping and negative bounds). */
  slice(start?: number, stop?: number, step = 1): T[] {
    if (!Number.isInteger(step)) throw new TypeError('slice indices must be integers');
    if (step === 0) throw new ValueError('slice step cannot be zero');
    return locked(this[ST], (i32, h) => {
      const n = i32[h + COUNT];
      const out: T[] = [];
      if (step > 0) {
        const to = bound(stop, n, n);
        for (let i = bound(start, n, 0); i < to; i += step)
          out.push(peekSlot(slotAt(i32, h, i)) as T);
      } else {
        const from = start === undefined ? n - 1 : Math.min(bound(start, n, 0), n - 1);
        const to = stop === undefined ? -1 : stop < -n ? -1 : bound(stop, n, 0);
        for (let i = from; i > to; i += step) out.push(peekSlot(slotAt(i32, h, i)) as T);
      }
      return out;
    });
  }

  /**
   * `l == other`, by content as Python's (items compared with Python's `==`): `other` a
   * SharedList or an array (one snapshot of each side).
   */
  equals(other: SharedList<unknown> | readonly unknown[]): boolean {
    const theirs = other instanceof SharedList ? other.toArray() : other;
    if (!Array.isArray(theirs)) return false;
    const mine = this.toArray();
    return mine.length === theirs.length && mine.every((x, i) => pyEqual(x, theirs[i]));
  }

  /** The items as a plain array (one atomic snapshot). */
  toArray(): T[] {
    return this.slice();
  }

  /** Iterate a snapshot taken now. */
  [Symbol.iterator](): IterableIterator<T> {
    return this.slice()[Symbol.iterator]();
  }

  /**
   * @internal Free this list's memory: every item and the slots and header. The one place
   * that does, for memory reclamation once no thread can reach the list.
   */
  static destroy(ptr: number): void {
    const h = ptr >> 2;
    const i32 = cover(views(ptr + HEADER_BYTES).i32, h);
    for (let i = 0; i < i32[h + COUNT]; i++) discardSlot(slotAt(i32, h, i));
    if (i32[h + SLOTS] !== 0) free(i32[h + SLOTS]);
    // The header is the object's own block: shared/lifetime.ts frees it after this hook.
  }

  /** @internal The shared-object description. */
  [SHARED](): SharedDescriptor {
    return { type: 'SharedList', words: [this[ST].h << 2] };
  }

  /** `JSON.stringify(l)`: the items as an array. */
  toJSON(): T[] {
    return this.slice();
  }

  /** How `console.log` shows it: Python's repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** A Python-style repr: `[1, 'a']`. */
  toString(): string {
    return `[${this.slice().map(repr).join(', ')}]`;
  }
}

registerSharedType('SharedList', (d) => attach(d.words[0], () => new SharedList()));
