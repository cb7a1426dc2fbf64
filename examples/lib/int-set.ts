/**
 * A set of integers in shared memory, for chapter 5's lock-protected sets. Like Python's
 * `set`, it does no locking of its own: each method is a sequence of plain reads and writes
 * of shared words, so two threads adding at the same moment can lose an element. The
 * chapter's examples make it safe in three ways (a subclass, a method decorator, a class
 * decorator), each with a threadkit Lock.
 *
 * Crossing threads: threadkit sends its own shared objects (Lock, Deque, …) as themselves,
 * but an object of a user class cannot cross as such. A set is only shared memory and shared
 * locks, though, so it crosses as its fields: `set.share()` in one thread,
 * `LockedSet.attach(fields)` in the other gives the same set (same memory, same lock).
 */

const COUNT = 0;

export class SharedIntSet {
  /** Word 0: the number of elements; words 1…capacity: the elements, unordered. */
  cells: Int32Array;

  constructor(capacity = 4096) {
    this.cells = new Int32Array(new SharedArrayBuffer(4 * (capacity + 1)));
  }

  /** This set's fields, to pass to another thread (see {@link attach}). */
  share(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this));
  }

  /** The set (of this class, or a subclass) whose fields another thread shared. */
  static attach<T extends SharedIntSet>(
    this: { prototype: T },
    fields: Record<string, unknown>,
  ): T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass attach() is called on
    return Object.assign(Object.create(this.prototype) as T, fields);
  }

  get size(): number {
    return this.cells[COUNT];
  }

  /** Where `elem` is (1…size), or -1. (Not a #private method: attached sets have no brand.) */
  _indexOf(elem: number): number {
    const n = Math.min(this.cells[COUNT], this.cells.length - 1);
    for (let i = 1; i <= n; i++) if (this.cells[i] === elem) return i;
    return -1;
  }

  /** Python's `elem in set`. */
  has(elem: number): boolean {
    return this._indexOf(elem) >= 0;
  }

  /** Add `elem` (no-op if present). Not atomic: read the count, look, write, count. */
  add(elem: number): void {
    const n = this.cells[COUNT];
    if (this._indexOf(elem) >= 0) return;
    if (n + 1 >= this.cells.length) throw new RangeError('SharedIntSet is full');
    this.cells[n + 1] = elem;
    this.cells[COUNT] = n + 1;
  }

  /** Remove `elem`; a `KeyError` (an Error of that name) if it is not there, as in Python. */
  remove(elem: number): void {
    const i = this._indexOf(elem);
    if (i < 0) {
      const err = new Error(String(elem));
      err.name = 'KeyError';
      throw err;
    }
    const n = this.cells[COUNT];
    this.cells[i] = this.cells[n];
    this.cells[COUNT] = n - 1;
  }

  /** The elements, ascending. */
  values(): number[] {
    const n = Math.min(this.cells[COUNT], this.cells.length - 1);
    return Array.from(this.cells.subarray(1, n + 1)).sort((a, b) => a - b);
  }
}

/**
 * The work every set example gives its threads: thread `t` of `threads` adds the numbers
 * `t*per … t*per+per-1`, checks each is there, then removes the even ones. Afterwards the set
 * must hold exactly the odd numbers below `threads*per`, whatever the interleaving, if (and
 * only if) the set is thread-safe. Returns how many of its checks failed.
 */
export function exercise(set: SharedIntSet, t: number, per: number): number {
  let missing = 0;
  for (let k = t * per; k < (t + 1) * per; k++) {
    set.add(k);
    if (!set.has(k)) missing++;
  }
  for (let k = t * per; k < (t + 1) * per; k += 2) set.remove(k);
  return missing;
}

/** Whether `values` is exactly the odd numbers below `limit`. */
export function isOddsBelow(values: number[], limit: number): boolean {
  if (values.length !== limit / 2) return false;
  return values.every((v, i) => v === 2 * i + 1);
}
