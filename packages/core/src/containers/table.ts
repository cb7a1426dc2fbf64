/**
 * The storage of SharedDict and SharedSet: an insertion-ordered hash table in the arena, laid
 * out as CPython's compact dict.
 *
 *  - a header of words (below) with the container's internal mutex;
 *  - an *entries* array, appended to in insertion order: `[hash, entry word, key slot, value
 *    slot?]` (slots in the wire format of `shared/wire.ts`; a set has no value slot). A removed
 *    entry stays as a hole (key tag 0) until the next rebuild compacts the array. The entry
 *    word is a dict entry's own lock and version (below);
 *  - an *index*: a power-of-two array of int32 entry numbers probed linearly (-1 empty, -2 a
 *    removed entry's tombstone), kept at most two-thirds full.
 *
 * Insertion order makes `popitem` LIFO and iteration follow insertion, as in Python. There is
 * no capacity to guess: a full table is rebuilt into blocks sized for twice its live entries
 * (which also drops holes and tombstones), and a table that falls to an eighth of its entry
 * capacity is rebuilt smaller.
 *
 * Every function here except {@link createTable}, {@link destroyTable}, {@link lookupPlain}
 * and {@link replacePlain} runs under the container's mutex ({@link locked}), on views that
 * cover the table's blocks.
 *
 * **In-place replace without the mutex.** `d[k] = v` for a key already there is the common
 * write of threads sharing a dict (each thread on its own keys), and a mutex taken for it is
 * one cache line that every core writes and waits for. So when a thread finds the mutex
 * contended (held by another thread, or taken while in-place writers are at work), its next
 * {@link STREAK} replaces go through
 * {@link replacePlain}: it finds the entry without the mutex (as an optimistic read) and
 * locks only that entry — its *entry word* (bit 0 held, the rest a version bumped by every
 * change of the entry), taken with one compare-exchange. A pin (containers/pins.ts) keeps
 * the entries block from being freed or moved meanwhile, and the mutex word's `SEQ_FLAG` bit
 * (set by such a writer before it writes, while the mutex is free) tells everyone else:
 *  - an optimistic reader of a value checks the entry word too;
 *  - whoever takes the mutex with the bit set takes the entry word before it reads, replaces
 *    or removes an existing entry's value ({@link holdEntry} / {@link releaseEntry}; a pinned
 *    writer never waits, so this wait is short), and drains the pins before it frees, moves
 *    or reads every entry (rebuild, clear, snapshot);
 *  - a holder that took the mutex at its first guess (nobody else used it since its last
 *    release: the contention is over) drains the pins and clears the bit, so that a table
 *    used by one thread again pays none of this.
 * Sets never set the bit (an element is never rewritten).
 */
import { alloc, blockCapacity, free } from '../memory/arena.js';
import { views } from '../memory/views.js';
import { createShared } from '../shared/lifetime.js';
import {
  discardSlot,
  discardTaken,
  moveSlot,
  NOT_PLAIN,
  type Prepared,
  peekPlain,
  peekSlot,
  plainMatch,
  prepare,
  release,
  SLOT_BYTES,
  slotHoldsString,
  slotNumber,
  slotOwnsMemory,
  storeNumber,
  storeSlot,
  type Taken,
  takeSlot,
} from '../shared/wire.js';
import { type Key, keyEqual } from './keys.js';
import { drain, pause, pin, unpin } from './pins.js';
import {
  readBegin,
  readValid,
  SEQ_FLAG,
  SEQ_HELD,
  SEQ_PARKED,
  seqLock,
  seqUnlock,
} from './seqlock.js';

// Header words.
const MUTEX = 0; // containers/seqlock.ts: the mutex and the version of optimistic reads
const COUNT = 1; // live entries
const USED = 2; // entries written since the last rebuild (live and holes)
const ECAP = 3; // entry capacity
const ENTRIES = 4;
const ICAP = 5; // index slots (a power of two)
const INDEX = 6;
const FILL = 7; // index slots not empty (entries and tombstones)
const VERSION = 8; // bumped by every mutation (lets a sort or a snapshot detect change)
const STRIDE = 9; // bytes per entry
const ENTRY_LOCKS = 10; // the mutex holder's own note: in-place writers may be at work
/** Bytes of a table's header. */
export const TABLE_HEADER_BYTES = 48;

const ENTRY_WORD = 4; // byte offset of the entry word in an entry
const ENTRY_HELD = 1;
const ENTRY_STEP = 2; // version step

const EMPTY = -1;
const DUMMY = -2;
/** Offset of the key slot in an entry (after the hash word and a pad word). */
export const KEY_AT = 8;
/** Offset of the value slot in a dict's entry. */
export const VALUE_AT = KEY_AT + SLOT_BYTES;
const MIN_ENTRIES = 6;

/** A table as one thread sees it: its header's word index. */
export interface Table {
  /** Byte offset of the header (what a pin names). */
  readonly ptr: number;
  /** Word index of the header. */
  readonly h: number;
  /** Byte just past the header. */
  readonly end: number;
  /** The mutex word as this thread last released it (containers/seqlock.ts `guess`). */
  seen: number;
  /** Replaces left that this thread tries without the mutex ({@link replacePlain}). */
  streak: number;
}

/** Replaces tried without the mutex after a thread found it contended. */
export const STREAK = 1 << 16;

/** Allocate an empty table whose entries hold a key slot and, when `withValues`, a value slot. */
export function createTable(owner: object, tag: number, withValues: boolean): number {
  // A reclaimable shared object (shared/lifetime.ts): zeroed, its one count `owner`'s.
  const ptr = createShared(owner, tag, TABLE_HEADER_BYTES);
  const i32 = views(ptr + TABLE_HEADER_BYTES).i32;
  const h = ptr >> 2;
  i32[h + STRIDE] = KEY_AT + SLOT_BYTES * (withValues ? 2 : 1);
  return ptr;
}

/** The table over the header at byte `ptr`. */
export function tableAt(ptr: number): Table {
  return { ptr, h: ptr >> 2, end: ptr + TABLE_HEADER_BYTES, seen: 0, streak: 0 };
}

/** Views that cover the table's blocks too (another thread may have allocated them beyond ours). */
function cover(hdr: Int32Array, h: number): Int32Array {
  const need = Math.max(
    hdr[h + ENTRIES] + hdr[h + ECAP] * hdr[h + STRIDE],
    hdr[h + INDEX] + hdr[h + ICAP] * 4,
  );
  return need > hdr.length * 4 ? views(need).i32 : hdr;
}

/** Run `fn` under the table's mutex with its header words. */
export function locked<R>(t: Table, fn: (i32: Int32Array, h: number) => R): R {
  const held = lockTable(t);
  try {
    return fn(cover(views(t.end).i32, t.h), t.h);
  } finally {
    unlockTable(t, held);
  }
}

/**
 * Take the table's mutex (what {@link locked} does, for hot paths without a closure): returns
 * what to give to {@link unlockTable}, which must follow in a `finally`. Use views from
 * {@link coverTable} in between.
 */
export function lockTable(t: Table): number {
  const hdr = views(t.end).i32;
  const h = t.h;
  const m = h + MUTEX;
  const seen = t.seen;
  // Taken at the first guess (`alone`): nobody else used the mutex since this thread released it.
  const was = Atomics.compareExchange(hdr, m, seen, seen | SEQ_HELD);
  const alone = was === seen;
  let held = alone ? seen | SEQ_HELD : seqLock(hdr, m, was & ~SEQ_HELD & ~SEQ_PARKED);
  // Contention is a mutex found held (threads that only take turns on a core find it changed,
  // not held: for them the lock is the cheaper path), or in-place writers at work.
  if (!alone && (was & SEQ_HELD || held & SEQ_FLAG)) t.streak = STREAK;
  if (held & SEQ_FLAG) {
    if (alone) {
      // In-place writers have gone quiet: wait out the last ones and clear the flag.
      drain(t.ptr);
      held &= ~SEQ_FLAG;
      hdr[h + ENTRY_LOCKS] = 0;
    } else {
      hdr[h + ENTRY_LOCKS] = 1;
    }
  } else {
    hdr[h + ENTRY_LOCKS] = 0;
  }
  return held;
}

/** Release what {@link lockTable} returned. */
export function unlockTable(t: Table, held: number): void {
  t.seen = seqUnlock(views(t.end).i32, t.h + MUTEX, held);
}

/** Under the mutex: views that cover the table's header and blocks. */
export function coverTable(t: Table): Int32Array {
  return cover(views(t.end).i32, t.h);
}

/** Number of live entries (a lock-free read, for `size`). */
export function count(t: Table): number {
  return Atomics.load(views(t.end).i32, t.h + COUNT);
}

/** Byte offset of entry `e`. */
export function entryAt(i32: Int32Array, h: number, e: number): number {
  return i32[h + ENTRIES] + e * i32[h + STRIDE];
}

/** Entries written since the last rebuild; live ones satisfy {@link isLive}. */
export function used(i32: Int32Array, h: number): number {
  return i32[h + USED];
}

/** Whether entry `e` holds a key (not a hole left by a removal). */
export function isLive(i32: Int32Array, h: number, e: number): boolean {
  const base = entryAt(i32, h, e) + KEY_AT;
  return views(base + 4).i32[base >> 2] !== 0;
}

function keyMatches(base: number, key: Key): boolean {
  // Strings and numbers compare in place; anything else (or a number stored as a bool,
  // bigint…) is decoded. Hashes already matched, so this runs about once per lookup.
  if (typeof key === 'string') return slotHoldsString(base, key);
  if (typeof key === 'number') {
    const n = slotNumber(base);
    if (n !== undefined) return n === key || (Number.isNaN(n) && Number.isNaN(key));
  }
  return keyEqual(peekSlot(base) as Key, key);
}

// Where the last {@link find} ended: the index slot of the key, or where to insert it.
let probeSlot = 0;

/** The entry holding `key` (of hash `hash`), or -1; sets {@link probeSlot}. */
export function find(i32: Int32Array, h: number, key: Key, hash: number): number {
  const icap = i32[h + ICAP];
  if (icap === 0) {
    probeSlot = -1;
    return -1;
  }
  const index = i32[h + INDEX] >> 2;
  const entries = i32[h + ENTRIES];
  const stride = i32[h + STRIDE];
  const mask = icap - 1;
  let dummy = -1;
  for (let i = hash & mask; ; i = (i + 1) & mask) {
    const e = i32[index + i];
    if (e === EMPTY) {
      probeSlot = dummy >= 0 ? dummy : i;
      return -1;
    }
    if (e === DUMMY) {
      if (dummy < 0) dummy = i;
      continue;
    }
    const base = entries + e * stride;
    if (i32[base >> 2] === hash && keyMatches(base + KEY_AT, key)) {
      probeSlot = i;
      return e;
    }
  }
}

/** What {@link lookupPlain} returns for a key that is not in the table. */
export const ABSENT: unique symbol = Symbol('threadkit.absent');

/**
 * Look `key` up without the mutex (an optimistic read, containers/seqlock.ts): its value
 * (`true` for a set, `wantValue` false), {@link ABSENT}, or `NOT_PLAIN` when this cannot
 * answer — a writer ran meanwhile, the key is not a number or string, an entry on the way
 * is not an inline primitive, or the table lies beyond this thread's views — and the caller
 * must take the mutex. Every read is bounds-checked and the probe bounded, since a read
 * racing a writer may see anything; nothing read is trusted until the version is checked
 * (the table's, and the entry's for a value: an in-place replace moves only the entry's).
 */
export function lookupPlain(t: Table, key: Key, hash: number, wantValue: boolean): unknown {
  const kind = typeof key;
  if (kind !== 'number' && kind !== 'string') return NOT_PLAIN;
  const i32 = views(t.end).i32;
  // A writer's critical section is short: try a few times before taking the mutex (which
  // would write its cache line and slow that writer down too).
  // A reader that took the mutex would also slow down in-place writers (which back off
  // from a held mutex), so it waits longer for a holder to leave, writing nothing.
  for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
    const r = lookupOnce(i32, t.h, key as number | string, hash, wantValue);
    if (r !== RETRY) return r;
  }
  return NOT_PLAIN;
}

const READ_ATTEMPTS = 200;
const RETRY: unique symbol = Symbol('threadkit.retry');

function lookupOnce(
  i32: Int32Array,
  h: number,
  key: number | string,
  hash: number,
  wantValue: boolean,
): unknown {
  const v = readBegin(i32, h + MUTEX);
  if (v === -1) return RETRY;
  const base = probePlain(i32, h, key, hash);
  let result: unknown;
  if (base === MISSING) result = ABSENT;
  else if (base === UNSURE) result = NOT_PLAIN;
  else if (!wantValue) result = true;
  else if ((v & SEQ_FLAG) === 0) result = peekPlain(base + VALUE_AT);
  else {
    // In-place writers may be at work: they move the entry's word, not the mutex's.
    const w = (base + ENTRY_WORD) >> 2;
    const ew = Atomics.load(i32, w);
    if (ew & ENTRY_HELD) return RETRY;
    result = peekPlain(base + VALUE_AT);
    if (Atomics.load(i32, w) !== ew) return RETRY;
  }
  return readValid(i32, h + MUTEX, v) ? result : RETRY;
}

// What probePlain returns when it finds no entry.
const MISSING = -1;
const UNSURE = -2;

/**
 * The unlocked probe of {@link lookupPlain} and {@link replacePlain}: the byte offset of the
 * entry holding `key`, {@link MISSING}, or {@link UNSURE} (a torn read, a key it cannot judge
 * in place, blocks beyond `i32`). Reads only within `i32` and within the table's blocks as
 * read; the caller checks the version before trusting the answer.
 */
function probePlain(i32: Int32Array, h: number, key: number | string, hash: number): number {
  const icap = i32[h + ICAP];
  if (icap === 0) return MISSING;
  const index = i32[h + INDEX];
  const entries = i32[h + ENTRIES];
  const stride = i32[h + STRIDE];
  const used = i32[h + USED];
  if (
    !(
      icap > 0 &&
      (icap & (icap - 1)) === 0 &&
      index > 0 &&
      index + icap * 4 <= i32.length * 4 &&
      entries > 0 &&
      used >= 0 &&
      entries + used * stride <= i32.length * 4
    )
  ) {
    return UNSURE;
  }
  const iw = index >> 2;
  const mask = icap - 1;
  for (let n = 0, i = hash & mask; n < icap; n++, i = (i + 1) & mask) {
    const e = i32[iw + i];
    if (e === EMPTY) return MISSING;
    if (e === DUMMY) continue;
    if (e < 0 || e >= used) return UNSURE; // torn
    const base = entries + e * stride;
    if (i32[base >> 2] !== hash) continue;
    // Only an inline key of the same type can be judged here (1 == true == 1n need keyEqual).
    const m = plainMatch(base + KEY_AT, key);
    if (m < 0) return UNSURE;
    if (m === 1) return base;
  }
  return UNSURE;
}

let replacedInPlace = 0;

/** How many values this thread has replaced without the mutex (for the tests). */
export function inPlaceReplaces(): number {
  return replacedInPlace;
}

/** What {@link replacePlain} did: stored; not now (a writer is inside: try again); or cannot. */
export const REPLACED = 0;
/** See {@link REPLACED}. */
export const BUSY = 1;
/** See {@link REPLACED}. */
export const CANNOT = 2;

/**
 * `d[key] = x` for a `key` already in the dict, without the mutex (see the top of this file):
 * {@link REPLACED} if `x` was stored (its blocks now the table's, the old value given back);
 * {@link BUSY} if a writer holds the mutex or the entry, or the table changed meanwhile;
 * {@link CANNOT} if the key is absent or not a number or string, or this thread's pin slot is
 * in use — then the caller takes the mutex. Atomic as a locked replace: the entry's word is
 * held while the value is written, and whoever else reads or changes that value holds it, or
 * checks its version.
 */
export function replacePlain(t: Table, key: Key, hash: number, x: Stored): number {
  if (typeof key !== 'number' && typeof key !== 'string') return CANNOT;
  const pinned = pin(t.ptr);
  if (pinned < 0) return CANNOT;
  let old: Taken | null = null;
  try {
    const i32 = views(t.end).i32;
    const m = t.h + MUTEX;
    // After the pin, before anything is written (pins.ts): a holder of the mutex from now on
    // sees the pin, and one from before is seen here.
    let v = Atomics.load(i32, m);
    if (v & SEQ_HELD) return BUSY;
    if ((v & SEQ_FLAG) === 0) {
      if (Atomics.compareExchange(i32, m, v, v | SEQ_FLAG) !== v) return BUSY;
      v |= SEQ_FLAG;
    }
    const base = probePlain(i32, t.h, key, hash);
    if (base === MISSING) return CANNOT;
    if (base === UNSURE) return Atomics.load(i32, m) === v ? CANNOT : BUSY;
    const w = (base + ENTRY_WORD) >> 2;
    const ew = i32[w]; // a guess: the exchange decides
    if (ew & ENTRY_HELD) return BUSY;
    if (Atomics.compareExchange(i32, w, ew, ew | ENTRY_HELD) !== ew) return BUSY;
    // Nobody took the mutex since `v`, so the probe saw the table as it is and the entry is
    // `key`'s (only the mutex holder changes keys; it holds entry words to remove values).
    if (Atomics.load(i32, m) !== v) {
      Atomics.store(i32, w, ew);
      return BUSY;
    }
    const at = base + VALUE_AT;
    if (slotOwnsMemory(at)) old = takeSlot(at);
    store(at, x);
    Atomics.store(i32, w, ew + ENTRY_STEP);
    replacedInPlace++;
  } finally {
    unpin(pinned);
  }
  if (old !== null) discardTaken(old); // outside the pin: it may free other shared objects
  return REPLACED;
}

/**
 * After {@link BUSY}: wait (not pinned, writing nothing) for the mutex to be free, a little.
 * Returns false if it stayed held (then take it: the holder may be parked).
 */
export function awaitFree(t: Table): boolean {
  const i32 = views(t.end).i32;
  for (let spins = 0; spins < 200; spins++) {
    if ((Atomics.load(i32, t.h + MUTEX) & SEQ_HELD) === 0) return true;
  }
  return false;
}

/**
 * Under the mutex, before reading, replacing or removing the value of entry `e`: hold the
 * entry's word if in-place writers may be at work on this table (a short wait if one is
 * inside). Returns what to give to {@link releaseEntry}.
 */
export function holdEntry(i32: Int32Array, h: number, e: number): number {
  if (i32[h + ENTRY_LOCKS] === 0) return -1;
  const w = (entryAt(i32, h, e) + ENTRY_WORD) >> 2;
  for (let spins = 0; ; spins++) {
    const ew = Atomics.load(i32, w);
    if ((ew & ENTRY_HELD) === 0 && Atomics.compareExchange(i32, w, ew, ew | ENTRY_HELD) === ew) {
      return ew;
    }
    pause(spins);
  }
}

/** Release what {@link holdEntry} returned; `changed`: the value was replaced or removed. */
export function releaseEntry(
  i32: Int32Array,
  h: number,
  e: number,
  held: number,
  changed: boolean,
): void {
  if (held === -1) return; // an entry word is always even
  Atomics.store(i32, (entryAt(i32, h, e) + ENTRY_WORD) >> 2, changed ? held + ENTRY_STEP : held);
}

/** Under the mutex, before freeing, moving or reading every entry: wait out in-place writers. */
function quiesce(i32: Int32Array, h: number): void {
  if (i32[h + ENTRY_LOCKS] === 0) return;
  drain(h << 2);
  i32[h + ENTRY_LOCKS] = 0; // later ones wait for the mutex, held until this step ends
}

function nextPow2(n: number): number {
  let p = 8;
  while (p < n) p *= 2;
  return p;
}

/** Rebuild into fresh blocks with room for `want` entries, dropping holes and tombstones. */
function rebuild(i32: Int32Array, h: number, want: number): Int32Array {
  quiesce(i32, h);
  const stride = i32[h + STRIDE];
  const live = i32[h + COUNT];
  const entries = alloc(Math.max(want, MIN_ENTRIES) * stride);
  const ecap = Math.floor(blockCapacity(entries) / stride);
  const icap = nextPow2(Math.ceil((ecap * 3) / 2));
  const index = alloc(icap * 4);
  const oldEntries = i32[h + ENTRIES];
  const oldUsed = i32[h + USED];
  const oldIndex = i32[h + INDEX];
  const all = views(
    Math.max(entries + ecap * stride, index + icap * 4, oldEntries + oldUsed * stride),
  ).i32;
  const iw = index >> 2;
  all.fill(EMPTY, iw, iw + icap);
  // Entry words start even (the block is not zeroed); moved entries bring their own.
  for (let e = live; e < ecap; e++) all[(entries + e * stride + ENTRY_WORD) >> 2] = 0;
  const mask = icap - 1;
  let j = 0;
  for (let e = 0; e < oldUsed; e++) {
    const from = oldEntries + e * stride;
    if (all[(from + KEY_AT) >> 2] === 0) continue; // a hole
    const to = entries + j * stride;
    moveSlot(from, to, stride >> 2);
    let i = all[to >> 2] & mask;
    while (all[iw + i] !== EMPTY) i = (i + 1) & mask;
    all[iw + i] = j++;
  }
  if (oldEntries !== 0) free(oldEntries);
  if (oldIndex !== 0) free(oldIndex);
  all[h + ENTRIES] = entries;
  all[h + ECAP] = ecap;
  all[h + INDEX] = index;
  all[h + ICAP] = icap;
  all[h + USED] = live;
  all[h + FILL] = live;
  return all;
}

/** A value ready to be stored: prepared, or a number written inline (the hot path). */
export type Stored = Prepared | number;

/** Write a {@link Stored} value into the slot at `base`. */
export function store(base: number, x: Stored): void {
  if (typeof x === 'number') storeNumber(base, x);
  else storeSlot(base, x);
}

/** Give back a {@link Stored} value that was not stored after all. */
export function unstore(x: Stored | null): void {
  if (x !== null && typeof x !== 'number') release(x);
}

/** Encode `x` for the table (outside the lock); numbers skip the intermediate object. */
export function toStored(x: unknown, path: string): Stored {
  return typeof x === 'number' ? x : prepare(x, path);
}

/**
 * Add a new entry for a key that {@link find} just missed: its hash, key and (for a dict)
 * value. Ownership of the prepared blocks moves to the table.
 */
export function insert(
  i32: Int32Array,
  h: number,
  key: Key,
  hash: number,
  k: Stored,
  v: Stored | null,
): Int32Array {
  const icap = i32[h + ICAP];
  if (i32[h + USED] >= i32[h + ECAP] || (i32[h + FILL] + 1) * 3 > icap * 2) {
    i32 = rebuild(i32, h, (i32[h + COUNT] + 1) * 2);
    find(i32, h, key, hash);
  }
  const e = i32[h + USED]++;
  const base = i32[h + ENTRIES] + e * i32[h + STRIDE];
  const slot = (i32[h + INDEX] >> 2) + probeSlot;
  if (i32[slot] === EMPTY) i32[h + FILL]++;
  // The entry word moves on, never back: an in-place writer that read it while a removed key
  // was here cannot take it for the new key (ABA). One may hold it for a moment (a probe it
  // will find torn), so it is taken as for a value.
  const held = holdEntry(i32, h, e);
  i32[slot] = e;
  i32[base >> 2] = hash;
  store(base + KEY_AT, k);
  if (v !== null) store(base + VALUE_AT, v);
  if (held === -1) i32[(base + ENTRY_WORD) >> 2] += ENTRY_STEP;
  else releaseEntry(i32, h, e, held, true);
  i32[h + COUNT]++;
  i32[h + VERSION]++;
  return i32; // views that cover the table's blocks after a rebuild
}

/** Drop the entry that {@link find} just found (its slots freed), shrinking when sparse. */
export function removeFound(i32: Int32Array, h: number, e: number, withValue: boolean): void {
  const base = entryAt(i32, h, e);
  const held = holdEntry(i32, h, e);
  discardSlot(base + KEY_AT);
  if (withValue) discardSlot(base + VALUE_AT);
  releaseEntry(i32, h, e, held, true);
  forget(i32, h, e);
}

/**
 * Mark entry `e` (whose slots were already taken or discarded) removed: tombstone its index
 * slot (at {@link probeSlot}), trim trailing holes, and shrink a sparse table.
 */
export function forget(a: Int32Array, h: number, e: number): void {
  a[(a[h + INDEX] >> 2) + probeSlot] = DUMMY;
  const base = entryAt(a, h, e);
  a[(base + KEY_AT) >> 2] = 0;
  const n = --a[h + COUNT];
  a[h + VERSION]++;
  // Trailing holes can be reused at once (keeps popitem O(1) and the entries dense).
  let u = a[h + USED];
  while (u > 0 && !isLive(a, h, u - 1)) u--;
  a[h + USED] = u;
  const ecap = a[h + ECAP];
  if (n === 0) clearTable(a, h);
  else if (ecap > 64 && n * 8 < ecap) rebuild(a, h, n * 2);
}

/** The index slot of the entry of `key`, for {@link forget} after a find by position. */
export function locate(i32: Int32Array, h: number, e: number): void {
  const a = i32;
  const hash = a[entryAt(a, h, e) >> 2];
  const mask = a[h + ICAP] - 1;
  const index = a[h + INDEX] >> 2;
  let i = hash & mask;
  while (a[index + i] !== e) i = (i + 1) & mask;
  probeSlot = i;
}

/** The last live entry, or -1 when empty (for popitem). */
export function lastLive(i32: Int32Array, h: number): number {
  for (let e = i32[h + USED] - 1; e >= 0; e--) if (isLive(i32, h, e)) return e;
  return -1;
}

/** Remove every entry and free the table's blocks (the header stays). */
export function clearTable(i32: Int32Array, h: number): void {
  quiesce(i32, h);
  const entries = i32[h + ENTRIES];
  if (entries !== 0) {
    const stride = i32[h + STRIDE];
    const n = i32[h + USED];
    for (let e = 0; e < n; e++) {
      const base = entries + e * stride;
      if (!isLive(i32, h, e)) continue; // a hole: its slots were taken or discarded
      discardSlot(base + KEY_AT);
      if (stride > VALUE_AT) discardSlot(base + VALUE_AT);
    }
    free(entries);
    free(i32[h + INDEX]);
  }
  const a = views(h * 4 + TABLE_HEADER_BYTES).i32;
  for (const w of [COUNT, USED, ECAP, ENTRIES, ICAP, INDEX, FILL]) a[h + w] = 0;
  a[h + VERSION]++;
}

/** Decode every live entry's key (and value) in order: one consistent snapshot. */
export function snapshot<R>(i32: Int32Array, h: number, read: (entry: number) => R): R[] {
  quiesce(i32, h);
  const out: R[] = [];
  const n = i32[h + USED];
  for (let e = 0; e < n; e++) if (isLive(i32, h, e)) out.push(read(entryAt(i32, h, e)));
  return out;
}

/**
 * Free everything the table owns — every key and value (with their out-of-line blocks), the
 * entries, the index and the header. The one place that releases a table's memory, for the
 * owner's reclamation; the table must be unreachable.
 */
export function destroyTable(ptr: number): void {
  const t = tableAt(ptr);
  clearTable(cover(views(t.end).i32, t.h), t.h);
  // The header is the object's own block: shared/lifetime.ts frees it after this hook.
}
