/**
 * A shared `dict`: an insertion-ordered hash table in the arena (`containers/table.ts`) behind
 * one internal mutex, so each method is one atomic step for every thread, as under CPython's
 * GIL. Keys and values are copies (wire format of `shared/wire.ts`): encoded before the mutex
 * is taken, decoded while it is held (a value is read in place) — shared objects arrive
 * working, by reference.
 */
import { KeyError } from '../errors.js';
import { attach, takeAttached } from '../shared/attach.js';
import { pyEqual } from '../shared/compare.js';
import { defineLifetime } from '../shared/lifetime.js';
import { registerSharedType, SHARED, type SharedDescriptor } from '../shared/protocol.js';
import {
  discardSlot,
  finish,
  NOT_PLAIN,
  type Prepared,
  peekSlot,
  prepare,
  release,
  type Taken,
  takeSlot,
} from '../shared/wire.js';
import { KeyMap } from './key-bag.js';
import { checkKey, hashKey, type Key, reprKey } from './keys.js';
import { repr } from './repr.js';
import {
  ABSENT,
  awaitFree,
  CANNOT,
  clearTable,
  count,
  coverTable,
  createTable,
  destroyTable,
  entryAt,
  find,
  forget,
  holdEntry,
  insert,
  KEY_AT,
  lastLive,
  locate,
  locked,
  lockTable,
  lookupPlain,
  REPLACED,
  releaseEntry,
  removeFound,
  replacePlain,
  type Stored,
  snapshot,
  store,
  type Table,
  tableAt,
  toStored,
  unlockTable,
  unstore,
  VALUE_AT,
} from './table.js';

const ST = Symbol('threadkit.dict');

/** What {@link SharedDict.update} and the constructor accept. */
export type DictSource<V> =
  | Iterable<readonly [Key, V]>
  | SharedDict<Key, V>
  | Map<Key, V>
  | Record<string, V>;

/** The pairs of a {@link DictSource}, checked and hashed (a plain object gives its own keys). */
function pairsOf(src: unknown): [Key, unknown][] {
  if (src == null) return [];
  if (typeof (src as any)[Symbol.iterator] === 'function') {
    const out: [Key, unknown][] = [];
    let i = 0;
    for (const pair of src as Iterable<unknown>) {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(
          `dictionary update sequence element #${i} must be a [key, value] pair, not ${repr(pair)}`,
        );
      }
      out.push([pair[0], pair[1]]);
      i++;
    }
    return out;
  }
  if (typeof src === 'object') return Object.entries(src) as [Key, unknown][];
  throw new TypeError(`'${typeof src}' object is not iterable`);
}

/** Whether `k` is a valid key (a Map's key may be anything; such a key is in no SharedDict). */
function isKey(k: unknown): k is Key {
  try {
    checkKey(k);
    return true;
  } catch {
    return false;
  }
}

function missing(key: Key): KeyError {
  const err = new KeyError(reprKey(key));
  (err as KeyError & { key: Key }).key = key;
  return err;
}

/** Reclaimed with its items once no thread can reach it (shared/lifetime.ts). */
const DICT = defineLifetime('SharedDict', { free: destroyTable });

/**
 * Python's `dict`, shared between threads: `new SharedDict(pairsOrMapOrObject?)`.
 *
 * A Map-like surface (`get`, `set`, `has`, `delete`, `size`, `keys`, `values`, `entries`,
 * iteration, `clear`) plus Python's (`get(key, default)`, `setdefault`, `pop(key, default)`,
 * `popitem`, `update`, `items`, `copy`). Every method is atomic with respect to other
 * threads; compound steps (read, then write) need a {@link Lock}, as in Python. Iteration
 * walks a snapshot taken when it starts. Keys: see {@link Key} (`1`, `1.0`, `1n` and `true`
 * are one key, as in Python). Values: anything structured-cloneable, and shared objects by
 * reference. It crosses threads by reference, and nests in other containers and queues.
 */
export class SharedDict<K extends Key = Key, V = any> implements Iterable<[K, V]> {
  /** @internal */
  declare [ST]: Table;

  constructor(init?: DictSource<V> | null) {
    const ptr = takeAttached<number>();
    Object.defineProperty(this, ST, { value: tableAt(ptr ?? createTable(this, DICT, true)) });
    if (ptr === undefined && init != null) this.update(init);
  }

  /** Number of entries (`len(d)`). */
  get size(): number {
    return count(this[ST]);
  }

  /** `d.get(key, default)`: the value of `key`, or `dflt` (undefined) when absent. */
  get(key: K): V | undefined;
  get<D>(key: K, dflt: D): V | D;
  get(key: K, dflt?: unknown): unknown {
    checkKey(key);
    const hash = hashKey(key);
    const t = this[ST];
    const x = lookupPlain(t, key, hash, true); // no write to shared memory, when it can answer
    if (x !== NOT_PLAIN) return x === ABSENT ? dflt : x;
    return locked(t, (i32, h) => {
      const e = find(i32, h, key, hash);
      return e < 0 ? dflt : peekValue(i32, h, e);
    });
  }

  /** `d[key] = value`; returns the dict (as Map's `set`). An existing key keeps its place. */
  set(key: K, value: V): this {
    checkKey(key);
    const hash = hashKey(key);
    const t = this[ST];
    const v = toStored(value, 'value');
    // Under contention, a key already there has its value replaced in place, without the
    // mutex (table.ts).
    if (t.streak > 0) {
      t.streak--;
      for (let tries = 0; tries < 4; tries++) {
        const r = replacePlain(t, key, hash, v);
        if (r === REPLACED) return this;
        if (r === CANNOT || !awaitFree(t)) break;
      }
    }
    let k: Stored;
    try {
      k = toStored(key, 'key');
    } catch (err) {
      unstore(v);
      throw err;
    }
    let keyUsed = false;
    let valueUsed = false;
    const held = lockTable(t); // the hot path: no closure
    try {
      const i32 = coverTable(t);
      const e = find(i32, t.h, key, hash);
      if (e >= 0) {
        replaceValue(i32, t.h, e, v);
      } else {
        insert(i32, t.h, key, hash, k, v);
        keyUsed = true;
      }
      valueUsed = true;
    } finally {
      unlockTable(t, held);
      if (!keyUsed) unstore(k);
      if (!valueUsed) unstore(v);
    }
    return this;
  }

  /** `key in d`. */
  has(key: Key): boolean {
    checkKey(key);
    const hash = hashKey(key);
    const t = this[ST];
    const x = lookupPlain(t, key, hash, false);
    if (x !== NOT_PLAIN) return x !== ABSENT;
    return locked(t, (i32, h) => find(i32, h, key, hash) >= 0);
  }

  /** `del d[key]` as Map's `delete`: true if the key was there (see {@link pop} for KeyError). */
  delete(key: Key): boolean {
    checkKey(key);
    const hash = hashKey(key);
    return locked(this[ST], (i32, h) => {
      const e = find(i32, h, key, hash);
      if (e < 0) return false;
      removeFound(i32, h, e, true);
      return true;
    });
  }

  /** Remove every entry. */
  clear(): void {
    locked(this[ST], clearTable);
  }

  /**
   * `d.setdefault(key, dflt)`: the value of `key`; if absent, store `dflt` first and return
   * it. One atomic step, so racing threads agree on a single value.
   */
  setdefault(key: K, dflt?: V): V {
    checkKey(key);
    const hash = hashKey(key);
    const k = prepare(key, 'key');
    let v: Prepared;
    try {
      v = prepare(dflt, 'default');
    } catch (err) {
      release(k);
      throw err;
    }
    let stored = false;
    try {
      return locked(this[ST], (i32, h) => {
        const e = find(i32, h, key, hash);
        if (e >= 0) return peekValue(i32, h, e) as V;
        insert(i32, h, key, hash, k, v);
        stored = true;
        return dflt as V;
      });
    } finally {
      if (!stored) {
        release(k);
        release(v);
      }
    }
  }

  /** `d.pop(key[, dflt])`: remove `key` and return its value; `KeyError` if absent and no default. */
  pop(key: K): V;
  pop<D>(key: K, dflt: D): V | D;
  pop(key: K, ...dflt: unknown[]): unknown {
    checkKey(key);
    const hash = hashKey(key);
    const taken = locked(this[ST], (i32, h): Taken | null => {
      const e = find(i32, h, key, hash);
      if (e < 0) return null;
      const base = entryAt(i32, h, e);
      const held = holdEntry(i32, h, e);
      const t = takeSlot(base + VALUE_AT);
      discardSlot(base + KEY_AT);
      releaseEntry(i32, h, e, held, true);
      forget(i32, h, e);
      return t;
    });
    if (taken !== null) return finish(taken);
    if (dflt.length > 0) return dflt[0];
    throw missing(key);
  }

  /** `d.popitem()`: remove and return the last inserted `[key, value]` (LIFO, as Python). */
  popitem(): [K, V] {
    const taken = locked(this[ST], (i32, h) => {
      const e = lastLive(i32, h);
      if (e < 0) return null;
      const base = entryAt(i32, h, e);
      const held = holdEntry(i32, h, e);
      const key = takeSlot(base + KEY_AT);
      const value = takeSlot(base + VALUE_AT);
      releaseEntry(i32, h, e, held, true);
      locate(i32, h, e);
      forget(i32, h, e);
      return [key, value] as const;
    });
    if (taken === null) throw new KeyError('popitem(): dictionary is empty');
    return [finish(taken[0]) as K, finish(taken[1]) as V];
  }

  /**
   * `d.update(other)`: set every pair of a Map, a SharedDict, an iterable of `[key, value]`
   * pairs or a plain object's own properties, in one atomic step.
   */
  update(other: DictSource<V>): void {
    const pairs = pairsOf(other instanceof SharedDict ? other.items() : other);
    const prepared: (Prepared | null)[] = [];
    const hashes: number[] = [];
    try {
      for (let i = 0; i < pairs.length; i++) {
        const key = pairs[i][0];
        checkKey(key, pairs.length === 1 ? 'key' : `key of pair #${i}`);
        hashes.push(hashKey(key));
        prepared.push(prepare(key, 'key'));
        prepared.push(prepare(pairs[i][1], 'value'));
      }
      locked(this[ST], (i32, h) => {
        for (let i = 0; i < pairs.length; i++) {
          const key = pairs[i][0];
          const e = find(i32, h, key, hashes[i]);
          const v = prepared[2 * i + 1]!;
          prepared[2 * i + 1] = null;
          if (e >= 0) {
            replaceValue(i32, h, e, v);
          } else {
            const k = prepared[2 * i]!;
            prepared[2 * i] = null;
            i32 = insert(i32, h, key, hashes[i], k, v);
          }
        }
      });
    } finally {
      for (const p of prepared) if (p !== null) release(p);
    }
  }

  /** The keys, in insertion order (a snapshot). */
  keys(): IterableIterator<K> {
    return this.#read((base) => peekSlot(base + KEY_AT) as K)[Symbol.iterator]();
  }

  /** The values, in insertion order (a snapshot). */
  values(): IterableIterator<V> {
    return this.#read((base) => peekSlot(base + VALUE_AT) as V)[Symbol.iterator]();
  }

  /** The `[key, value]` pairs, in insertion order (a snapshot). */
  entries(): IterableIterator<[K, V]> {
    return this.#pairs()[Symbol.iterator]();
  }

  /** Python's name for {@link entries}. */
  items(): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** Iterate the `[key, value]` pairs of a snapshot taken now (as a Map iterates). */
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /** Call `fn(value, key, dict)` for each entry of a snapshot, as Map's `forEach`. */
  forEach(fn: (value: V, key: K, dict: this) => void): void {
    for (const [k, v] of this.#pairs()) fn(v, k, this);
  }

  /**
   * `d == other`, by content as Python's (keys with Python's equality, values with its `==`):
   * `other` a SharedDict or a Map (one snapshot of each side; order does not matter).
   */
  equals(other: SharedDict<Key, unknown> | ReadonlyMap<Key, unknown>): boolean {
    const theirs =
      other instanceof SharedDict ? other.#pairs() : other instanceof Map ? [...other] : null;
    if (theirs === null) return false;
    const mine = new KeyMap(this.#pairs());
    if (mine.size !== theirs.length) return false;
    return theirs.every(([k, v]) => {
      if (!isKey(k)) return false;
      const pair = mine.find(k);
      return pair !== undefined && pyEqual(pair[1], v);
    });
  }

  /** `d.copy()`, to a plain Map (key arrays become distinct Map keys, by identity). */
  copy(): Map<K, V> {
    return new Map(this.#pairs());
  }

  #pairs(): [K, V][] {
    return this.#read((base) => [peekSlot(base + KEY_AT) as K, peekSlot(base + VALUE_AT) as V]);
  }

  #read<R>(read: (base: number) => R): R[] {
    return locked(this[ST], (i32, h) => snapshot(i32, h, read));
  }

  /**
   * @internal Free this dict's memory: every key and value and the table itself. The one
   * place that does, for memory reclamation once no thread can reach the dict.
   */
  static destroy(ptr: number): void {
    destroyTable(ptr);
  }

  /** @internal The shared-object description. */
  [SHARED](): SharedDescriptor {
    return { type: 'SharedDict', words: [this[ST].h << 2] };
  }

  /** `JSON.stringify(d)`: an object of the string keys' entries… as Python's `json.dumps`. */
  toJSON(): Record<string, V> {
    return Object.fromEntries(this.#pairs().map(([k, v]) => [String(k), v]));
  }

  /** How `console.log` shows it: Python's repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** A Python-style repr: `{'a': 1, 'b': [1, 2]}`. */
  toString(): string {
    return `{${this.#pairs()
      .map(([k, v]) => `${reprKey(k)}: ${repr(v)}`)
      .join(', ')}}`;
  }
}

/** Under the mutex: overwrite the value of entry `e` (freeing the old value). */
function replaceValue(i32: Int32Array, h: number, e: number, v: Stored): void {
  const base = entryAt(i32, h, e);
  const held = holdEntry(i32, h, e); // an in-place writer may be at it (table.ts)
  discardSlot(base + VALUE_AT);
  store(base + VALUE_AT, v);
  releaseEntry(i32, h, e, held, true);
}

/** Under the mutex: decode the value of entry `e`. */
function peekValue(i32: Int32Array, h: number, e: number): unknown {
  const held = holdEntry(i32, h, e);
  try {
    return peekSlot(entryAt(i32, h, e) + VALUE_AT);
  } finally {
    releaseEntry(i32, h, e, held, false);
  }
}

registerSharedType('SharedDict', (d) => attach(d.words[0], () => new SharedDict()));
