/**
 * A shared `set`: the hash table of `containers/table.ts` with keys only, behind one internal
 * mutex, so each method is one atomic step for every thread, as under CPython's GIL.
 * The set algebra returns plain JS Sets of copies, computed from one snapshot.
 */
import { KeyError } from '../errors.js';
import { attach, takeAttached } from '../shared/attach.js';
import { defineLifetime } from '../shared/lifetime.js';
import { registerSharedType, SHARED, type SharedDescriptor } from '../shared/protocol.js';
import {
  finish,
  NOT_PLAIN,
  type Prepared,
  peekSlot,
  prepare,
  release,
  takeSlot,
} from '../shared/wire.js';
import { KeyBag } from './key-bag.js';
import { checkKey, hashKey, type Key, reprKey } from './keys.js';
import {
  ABSENT,
  clearTable,
  count,
  createTable,
  destroyTable,
  entryAt,
  find,
  forget,
  insert,
  KEY_AT,
  lastLive,
  locate,
  locked,
  lookupPlain,
  removeFound,
  snapshot,
  type Table,
  tableAt,
  toStored,
  unstore,
} from './table.js';

const ST = Symbol('threadkit.set');

function bagOf(other: Iterable<unknown>): KeyBag {
  return other instanceof KeyBag ? other : new KeyBag(other);
}

/** Reclaimed with its items once no thread can reach it (shared/lifetime.ts). */
const SET = defineLifetime('SharedSet', { free: destroyTable });

/**
 * Python's `set`, shared between threads: `new SharedSet(iterable?)`.
 *
 * `add`, `discard`, `remove` (`KeyError` when absent), `has`, `size`, `pop`, `clear`,
 * iteration (over a snapshot taken when it starts, in insertion order), and the set algebra
 * (`union`, `intersection`, `difference`, `symmetricDifference`, `isSubset`, `isSuperset`,
 * `isDisjoint`) to plain Sets. Each method is atomic with respect to other threads; compound
 * steps (check, then add) need a {@link Lock}, as in Python. Elements: see {@link Key}. It
 * crosses threads by reference, and nests in other containers and queues.
 */
export class SharedSet<T = Key> implements Iterable<T> {
  /** @internal */
  declare [ST]: Table;

  constructor(iterable?: Iterable<T> | null) {
    const ptr = takeAttached<number>();
    Object.defineProperty(this, ST, { value: tableAt(ptr ?? createTable(this, SET, false)) });
    if (ptr === undefined && iterable != null) this.update(iterable);
  }

  /** Number of elements (`len(s)`). */
  get size(): number {
    return count(this[ST]);
  }

  /** `s.add(x)`: add `x` (no change if an equal element is there); returns the set. */
  add(x: T): this {
    checkKey(x, 'element');
    const hash = hashKey(x);
    // Already there (read without the mutex, table.ts lookupPlain): nothing to do, atomically.
    if (lookupPlain(this[ST], x, hash, false) === true) return this;
    const k = toStored(x, 'element');
    let stored = false;
    try {
      locked(this[ST], (i32, h) => {
        if (find(i32, h, x, hash) >= 0) return;
        insert(i32, h, x, hash, k, null);
        stored = true;
      });
    } finally {
      if (!stored) unstore(k);
    }
    return this;
  }

  /** `s.update(*iterables)`: add every element, in one atomic step. */
  update(...iterables: Iterable<T>[]): void {
    const keys: unknown[] = [];
    for (const it of iterables) for (const x of it) keys.push(x);
    const prepared: (Prepared | null)[] = [];
    const hashes: number[] = [];
    try {
      for (const x of keys) {
        checkKey(x, 'element');
        hashes.push(hashKey(x));
        prepared.push(prepare(x, 'element'));
      }
      locked(this[ST], (i32, h) => {
        for (let i = 0; i < keys.length; i++) {
          if (find(i32, h, keys[i] as Key, hashes[i]) >= 0) continue;
          const k = prepared[i]!;
          prepared[i] = null;
          i32 = insert(i32, h, keys[i] as Key, hashes[i], k, null);
        }
      });
    } finally {
      for (const p of prepared) if (p !== null) release(p);
    }
  }

  /** `x in s`. */
  has(x: Key): boolean {
    checkKey(x, 'element');
    const hash = hashKey(x);
    const t = this[ST];
    const found = lookupPlain(t, x, hash, false); // no write to shared memory, when it can answer
    if (found !== NOT_PLAIN) return found !== ABSENT;
    return locked(t, (i32, h) => find(i32, h, x, hash) >= 0);
  }

  /** `s.discard(x)`: remove `x` if present; true if it was (as Set's `delete`). */
  discard(x: Key): boolean {
    checkKey(x, 'element');
    const hash = hashKey(x);
    return locked(this[ST], (i32, h) => {
      const e = find(i32, h, x, hash);
      if (e < 0) return false;
      removeFound(i32, h, e, false);
      return true;
    });
  }

  /** Set's name for {@link discard}. */
  delete(x: Key): boolean {
    return this.discard(x);
  }

  /** `s.remove(x)`: remove `x`; `KeyError` if absent. */
  remove(x: Key): void {
    if (!this.discard(x)) {
      const err = new KeyError(reprKey(x));
      (err as KeyError & { key: unknown }).key = x;
      throw err;
    }
  }

  /** `s.pop()`: remove and return an element (the last added); `KeyError` when empty. */
  pop(): T {
    const taken = locked(this[ST], (i32, h) => {
      const e = lastLive(i32, h);
      if (e < 0) return null;
      const t = takeSlot(entryAt(i32, h, e) + KEY_AT);
      locate(i32, h, e);
      forget(i32, h, e);
      return t;
    });
    if (taken === null) throw new KeyError('pop from an empty set');
    return finish(taken) as T;
  }

  /** Remove every element. */
  clear(): void {
    locked(this[ST], clearTable);
  }

  /** The elements now, in insertion order, as an array (one atomic snapshot). */
  toArray(): T[] {
    return locked(this[ST], (i32, h) => snapshot(i32, h, (base) => peekSlot(base + KEY_AT) as T));
  }

  /** Iterate a snapshot taken now. */
  [Symbol.iterator](): IterableIterator<T> {
    return this.toArray()[Symbol.iterator]();
  }

  /** The elements (a snapshot), as Set's `values`. */
  values(): IterableIterator<T> {
    return this[Symbol.iterator]();
  }

  /** `s.copy()`, to a plain Set. */
  copy(): Set<T> {
    return new Set(this.toArray());
  }

  /** `s | t | …`: a plain Set of the elements in this set or any of `others`. */
  union<U = T>(...others: Iterable<U>[]): Set<T | U> {
    const bag = new KeyBag();
    const out = new Set<T | U>();
    for (const it of [this.toArray(), ...others]) for (const x of it) if (bag.add(x)) out.add(x);
    return out;
  }

  /** `s & t & …`: a plain Set of the elements in this set and in every one of `others`. */
  intersection(...others: Iterable<Key>[]): Set<T> {
    const bags = others.map(bagOf);
    return new Set(this.toArray().filter((x) => bags.every((b) => b.has(x))));
  }

  /** `s - t - …`: a plain Set of the elements in this set and in none of `others`. */
  difference(...others: Iterable<Key>[]): Set<T> {
    const bags = others.map(bagOf);
    return new Set(this.toArray().filter((x) => !bags.some((b) => b.has(x))));
  }

  /** `s ^ t`: a plain Set of the elements in exactly one of this set and `other`. */
  symmetricDifference<U = T>(other: Iterable<U>): Set<T | U> {
    const mine = this.toArray();
    const bagMine = new KeyBag(mine);
    const theirs: U[] = [];
    const bagTheirs = new KeyBag();
    for (const x of other) if (bagTheirs.add(x)) theirs.push(x);
    const out = new Set<T | U>(mine.filter((x) => !bagTheirs.has(x)));
    for (const x of theirs) if (!bagMine.has(x)) out.add(x);
    return out;
  }

  /** `s <= t`: every element of this set is in `other`. */
  isSubset(other: Iterable<Key>): boolean {
    const bag = bagOf(other);
    return this.toArray().every((x) => bag.has(x));
  }

  /** `s >= t`: every element of `other` is in this set. */
  isSuperset(other: Iterable<Key>): boolean {
    const bag = new KeyBag(this.toArray());
    for (const x of other) if (!bag.has(x)) return false;
    return true;
  }

  /**
   * `s == t`, by content as Python's (`1 == 1.0 == true`): the same elements as `other`, a
   * SharedSet or a Set (one snapshot of each side). Anything else is not equal, as a Python
   * set is never equal to a list.
   */
  equals(other: SharedSet<unknown> | ReadonlySet<unknown>): boolean {
    if (!(other instanceof SharedSet) && !(other instanceof Set)) return false;
    let theirs: KeyBag;
    try {
      theirs = new KeyBag(other);
    } catch {
      return false; // a Set holding a non-key (an object): no SharedSet holds one
    }
    const mine = this.toArray();
    return theirs.size === mine.length && mine.every((x) => theirs.has(x));
  }

  /** `s.isdisjoint(t)`: no element in common. */
  isDisjoint(other: Iterable<Key>): boolean {
    const bag = bagOf(other);
    return !this.toArray().some((x) => bag.has(x));
  }

  /**
   * @internal Free this set's memory: every element and the table itself. The one place
   * that does, for memory reclamation once no thread can reach the set.
   */
  static destroy(ptr: number): void {
    destroyTable(ptr);
  }

  /** @internal The shared-object description. */
  [SHARED](): SharedDescriptor {
    return { type: 'SharedSet', words: [this[ST].h << 2] };
  }

  /** `JSON.stringify(s)`: the elements as an array. */
  toJSON(): T[] {
    return this.toArray();
  }

  /** How `console.log` shows it: Python's repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** A Python-style repr: `{1, 'a'}`, or `set()` when empty. */
  toString(): string {
    const items = this.toArray();
    return items.length === 0 ? 'set()' : `{${items.map(reprKey).join(', ')}}`;
  }
}

registerSharedType('SharedSet', (d) => attach(d.words[0], () => new SharedSet()));
