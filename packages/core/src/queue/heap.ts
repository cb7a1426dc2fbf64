/**
 * PriorityQueue's binary heap over arena slots: CPython's `heapq.heappush`/`heappop`
 * algorithms step for step (so items that compare equal come out in the order Python's would),
 * with two changes:
 *   - every comparison is made before anything moves, so an item that cannot be compared
 *     raises TypeError and leaves the heap as it was (heapq would leave it half-sifted);
 *   - each priority slot carries a numeric sort key (the item itself, or the first element of
 *     an array item) after the encoded item, so `[priority, data]` items are ordered without
 *     decoding them; only ties on the key decode both items and compare them fully.
 */
import { views } from '../memory/views.js';
import { pyLess } from '../shared/compare.js';
import {
  moveSlot,
  type Prepared,
  peekSlot,
  SLOT_BYTES,
  storeSlot,
  type Taken,
  takeSlot,
} from '../shared/wire.js';
import { resolveTargetSync, type TargetSpec } from '../targets/target.js';

/** What a heap needs from its queue: where slot `i` lives. */
export interface SlotArray {
  readonly stride: number;
  slot(i: number): number;
}

const KEY_NONE = 0;
const KEY_NUMBER = 1; // the item is a number
const KEY_FIRST = 2; // the item is an array whose first element is a number

/** A comparator: negative when `a` comes first (the shape of `Array.prototype.sort`'s). */
export type Comparator = (a: unknown, b: unknown) => number;

export class Heap {
  #cmp: Comparator | null;
  #spec: TargetSpec | null;

  /** `cmp` runs in this thread; `spec` lets other threads rebuild it (docs/CONTRACT.md §2 targets). */
  constructor(cmp: Comparator | null = null, spec: TargetSpec | null = null) {
    this.#cmp = cmp;
    this.#spec = spec;
  }

  get spec(): TargetSpec | null {
    return this.#spec;
  }

  #comparator(): Comparator | null {
    if (this.#cmp === null && this.#spec !== null)
      this.#cmp = resolveTargetSync(this.#spec) as Comparator;
    return this.#cmp;
  }

  #lessValues(a: unknown, b: unknown): boolean {
    const cmp = this.#comparator();
    return cmp ? cmp(a, b) < 0 : pyLess(a, b);
  }

  /** The sort key of a JS value: [kind, key]. */
  #keyOf(v: unknown): [number, number] {
    if (this.#spec !== null || this.#cmp !== null) return [KEY_NONE, 0];
    if (typeof v === 'number') return [KEY_NUMBER, v];
    if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'number') return [KEY_FIRST, v[0]];
    return [KEY_NONE, 0];
  }

  /** Decided by the keys alone, or undefined. */
  static #byKey(ka: number, xa: number, kb: number, xb: number): boolean | undefined {
    if (ka === KEY_NONE || ka !== kb) return undefined;
    if (ka === KEY_NUMBER) return xa < xb;
    // Tuples: a differing first element decides (NaN never compares equal: decode those).
    if (xa !== xb && !Number.isNaN(xa) && !Number.isNaN(xb)) return xa < xb;
    return undefined;
  }

  #kind(base: number): number {
    return views(base + SLOT_BYTES + 16).i32[(base + SLOT_BYTES) >> 2];
  }

  #key(base: number): number {
    return views(base + SLOT_BYTES + 16).f64[(base + SLOT_BYTES + 8) >> 3];
  }

  /** `a < b` for two slots. */
  #lessSlots(a: number, b: number): boolean {
    const r = Heap.#byKey(this.#kind(a), this.#key(a), this.#kind(b), this.#key(b));
    return r ?? this.#lessValues(peekSlot(a), peekSlot(b));
  }

  /** heappush: `item` goes to index `n` (the new end) and sifts toward the root. */
  push(q: SlotArray, n: number, p: Prepared, item: unknown): void {
    const [kind, key] = this.#keyOf(item);
    // Compare first (heapq's _siftdown), move afterwards.
    let pos = n;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pb = q.slot(parent);
      const r = Heap.#byKey(kind, key, this.#kind(pb), this.#key(pb));
      if (!(r ?? this.#lessValues(item, peekSlot(pb)))) break;
      pos = parent;
    }
    const words = q.stride >> 2;
    for (let i = n; i > pos; ) {
      const parent = (i - 1) >> 1;
      moveSlot(q.slot(parent), q.slot(i), words);
      i = parent;
    }
    const base = q.slot(pos);
    storeSlot(base, p);
    const a = views(base + SLOT_BYTES + 16);
    a.i32[(base + SLOT_BYTES) >> 2] = kind;
    a.f64[(base + SLOT_BYTES + 8) >> 3] = key;
  }

  /** heappop on a heap of `n` items: takes the root (returns a value for `finish`). */
  pop(q: SlotArray, n: number): Taken {
    const end = n - 1; // heapq pops the last item first
    if (end === 0) return takeSlot(q.slot(0));
    const last = q.slot(end);
    // _siftup: walk down the smaller children to a leaf (children compared with each other)…
    const path = [0];
    let pos = 0;
    let child = 1;
    while (child < end) {
      const right = child + 1;
      if (right < end && !this.#lessSlots(q.slot(child), q.slot(right))) child = right;
      path.push(child);
      pos = child;
      child = 2 * pos + 1;
    }
    // …then bubble the last item up from there (_siftdown), against the children it passes.
    let j = path.length - 1;
    let lastValue: unknown;
    let decoded = false;
    while (j > 0) {
      const pb = q.slot(path[j]);
      let r = Heap.#byKey(this.#kind(last), this.#key(last), this.#kind(pb), this.#key(pb));
      if (r === undefined) {
        if (!decoded) {
          lastValue = peekSlot(last);
          decoded = true;
        }
        r = this.#lessValues(lastValue, peekSlot(pb));
      }
      if (!r) break;
      j--;
    }
    // Every comparison is done: now move. Root out, path[1..j] up one level, last into path[j].
    const taken = takeSlot(q.slot(0));
    const words = q.stride >> 2;
    for (let i = 0; i < j; i++) moveSlot(q.slot(path[i + 1]), q.slot(path[i]), words);
    moveSlot(last, q.slot(path[j]), words);
    return taken;
  }
}
