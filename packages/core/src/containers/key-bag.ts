/**
 * A local (unshared) set of keys with Python's equality (`1`, `1.0`, `1n`, `true` one key;
 * arrays by content), for SharedSet's algebra over plain iterables.
 */
import { checkKey, hashKey, type Key, keyEqual } from './keys.js';

/** Keys bucketed by hash; `has` and `add` as a Python set's. */
export class KeyBag {
  readonly #buckets = new Map<number, Key[]>();
  /** Number of distinct keys. */
  size = 0;

  constructor(keys: Iterable<unknown> = []) {
    for (const k of keys) this.add(k);
  }

  /** Add `key` unless an equal key is there; true if added. */
  add(key: unknown): boolean {
    checkKey(key, 'element');
    const hash = hashKey(key);
    const bucket = this.#buckets.get(hash);
    if (bucket === undefined) {
      this.#buckets.set(hash, [key]);
      this.size++;
      return true;
    }
    for (const k of bucket) if (keyEqual(k, key)) return false;
    bucket.push(key);
    this.size++;
    return true;
  }

  /** Whether a key equal to `key` is there. */
  has(key: unknown): boolean {
    checkKey(key, 'element');
    const bucket = this.#buckets.get(hashKey(key));
    return bucket?.some((k) => keyEqual(k, key)) === true;
  }
}

/** A local map from keys (Python's equality, as {@link KeyBag}) to values; the first pair wins. */
export class KeyMap {
  readonly #buckets = new Map<number, [Key, unknown][]>();
  /** Number of distinct keys. */
  size = 0;

  constructor(pairs: Iterable<readonly [Key, unknown]>) {
    for (const [k, v] of pairs) {
      const hash = hashKey(k);
      const bucket = this.#buckets.get(hash);
      if (bucket === undefined) this.#buckets.set(hash, [[k, v]]);
      else if (bucket.some(([x]) => keyEqual(x, k))) continue;
      else bucket.push([k, v]);
      this.size++;
    }
  }

  /** The pair whose key equals `key`, or undefined. */
  find(key: Key): [Key, unknown] | undefined {
    return this.#buckets.get(hashKey(key))?.find(([x]) => keyEqual(x, key));
  }
}
