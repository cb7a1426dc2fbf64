/**
 * `multiprocessing.Array`: a fixed-length array of one of Python's typecodes in shared memory.
 * `arr[i]` (negative indices too), `length`, iteration, `slice()`, `getLock()`, `getObj()`,
 * and `.value`/`.raw` for char arrays as ctypes has them.
 */
import { IndexError, ValueError } from '../errors.js';
import { attach, takeAttached } from '../shared/attach.js';
import { type IndexedTarget, indexed } from '../shared/indexed.js';
import {
  adoptChild,
  allocObject,
  childOf,
  defineLifetime,
  OBJECT_HEADER,
  refFor,
  releaseRef,
  track,
} from '../shared/lifetime.js';
import {
  describeShared,
  registerSharedType,
  reviveShared,
  SHARED,
  type SharedDescriptor,
} from '../shared/protocol.js';
import type { Lock } from '../sync/lock.js';
import type { RLock } from '../sync/rlock.js';
import { describe } from '../timeout.js';
import { callable, lockFor, noLock, type SharedValueOptions } from './lock-option.js';
import {
  convert,
  load,
  type Raw,
  store,
  type Typecode,
  type TypeInfo,
  typeInfo,
  viewOf,
} from './typecodes.js';

// State lives under a symbol: methods run with `this` bound to the indexing proxy, where
// `#private` fields are unreachable.
const ST = Symbol('threadkit.array');

interface State {
  info: TypeInfo;
  ptr: number;
  length: number;
  lock: Lock | RLock | null;
}

interface Attached {
  ptr: number;
  length: number;
  code: Typecode;
  lock: SharedDescriptor | null;
}

/** The items to store for `sizeOrValues` (a size gives zeros, which fresh memory already is). */
function initialItems(
  info: TypeInfo,
  sizeOrValues: unknown,
): { length: number; items: unknown[] | null } {
  if (typeof sizeOrValues === 'number') {
    if (!Number.isInteger(sizeOrValues))
      throw new TypeError(`an integer is required, not ${describe(sizeOrValues)}`);
    if (sizeOrValues < 0) throw new ValueError('Array length must be >= 0');
    return { length: sizeOrValues, items: null };
  }
  if (typeof sizeOrValues === 'string') {
    // 'c' takes a byte string (one char a byte), 'u' a text (one item a code point).
    const items = info.kind === 'char' ? sizeOrValues.split('') : [...sizeOrValues];
    return { length: items.length, items };
  }
  if (
    sizeOrValues !== null &&
    typeof sizeOrValues === 'object' &&
    Symbol.iterator in sizeOrValues
  ) {
    const items = [...(sizeOrValues as Iterable<unknown>)];
    if (info.kind === 'char' && sizeOrValues instanceof Uint8Array)
      return { length: items.length, items };
    return { length: items.length, items };
  }
  throw new TypeError(
    `size_or_initializer must be an integer or an iterable, not ${describe(sizeOrValues)}`,
  );
}

function viewFor(s: State): Raw {
  return viewOf(s.info, s.ptr + s.length * s.info.size);
}

function elementIndex(s: State, i: number): number {
  const k = i < 0 ? i + s.length : i;
  if (k < 0 || k >= s.length) throw new IndexError('invalid index');
  return s.ptr / s.info.size + k;
}

/** An Array owns a count on its lock. */
const ARRAY = defineLifetime('Array', { free: (at) => releaseRef(childOf(at)) });

/**
 * A shared fixed-length array of a Python typecode. Each element read or write is atomic on
 * its own; hold `getLock()` for compound updates. Shared: pass it to threads or put it on
 * queues and it arrives as the same memory.
 *
 * Callable with or without `new`: `Array('i', 10)`, `Array('d', [1.5, 2.5])`, `Array('c', 'hi')`.
 */
export class SharedArray implements IndexedTarget, Iterable<any> {
  /** @internal */
  declare [ST]: State;
  /** Element access: `arr[0]`, `arr[-1] = 5`. */
  [index: number]: any;

  /**
   * @param typecode one of b B h H i I l L q Q f d c u
   * @param sizeOrValues a length (zero-filled) or the initial items (a string for 'c'/'u')
   * @param options `{ lock }`: true (a new RLock, default), false, or a Lock/RLock to use
   */
  constructor(
    typecode: Typecode,
    sizeOrValues: number | Iterable<unknown> | string,
    options?: SharedValueOptions,
  ) {
    const att = takeAttached<Attached>();
    let state: State;
    let ref = 0;
    if (att !== undefined) {
      const lock = att.lock ? (reviveShared(att.lock) as Lock | RLock) : null;
      state = { info: typeInfo(att.code), ptr: att.ptr, length: att.length, lock };
    } else {
      const info = typeInfo(typecode);
      const { length, items } = initialItems(info, sizeOrValues);
      const converted = items?.map((v) => convert(info, v));
      ref = allocObject(ARRAY, Math.max(8, length * info.size));
      const ptr = ref + OBJECT_HEADER;
      state = { info, ptr, length, lock: lockFor(options) };
      adoptChild(ptr, state.lock ? refFor(state.lock) : 0);
      if (converted) {
        const view = viewOf(info, ptr + length * info.size);
        const base = ptr / info.size;
        for (let i = 0; i < length; i++) store(info, view, base + i, converted[i]);
      }
    }
    Object.defineProperty(this, ST, { value: state });
    const self = indexed(this);
    if (ref !== 0) track(self, ref, false); // the proxy is the handle users hold
    // biome-ignore lint/correctness/noConstructorReturn: the indexing proxy is the instance
    return self;
  }

  /** Number of elements. */
  get length(): number {
    return this[ST].length;
  }

  /** The typecode given to the constructor. */
  get typecode(): Typecode {
    return this[ST].info.code;
  }

  /** `arr[i]`, with Python's negative indices; IndexError when out of range. */
  getItem(i: number): any {
    const s = this[ST];
    return load(s.info, viewFor(s), elementIndex(s, i));
  }

  /** `arr[i] = value`; TypeError when the value does not fit the typecode (as ctypes). */
  setItem(i: number, value: unknown): void {
    const s = this[ST];
    store(s.info, viewFor(s), elementIndex(s, i), convert(s.info, value));
  }

  /** `arr[start:end]` as a JS array (Python slice bounds: negative, clamped). */
  slice(start = 0, end = this.length): any[] {
    const n = this.length;
    const from = Math.max(0, start < 0 ? start + n : Math.min(start, n));
    const to = Math.max(0, end < 0 ? end + n : Math.min(end, n));
    const out: any[] = [];
    for (let i = from; i < to; i++) out.push(this.getItem(i));
    return out;
  }

  /** The elements, as a JS array. */
  toArray(): any[] {
    return this.slice();
  }

  /** Iterate over the elements, first to last. */
  *[Symbol.iterator](): Iterator<any> {
    for (let i = 0; i < this.length; i++) yield this.getItem(i);
  }

  /** Char arrays (`'c'`, `'u'`): the text up to the first NUL; assigning one writes it (plus a NUL if it fits). */
  get value(): string {
    const s = this[ST];
    if (s.info.kind !== 'char' && s.info.kind !== 'wchar')
      throw new TypeError(`'${s.info.code}' arrays have no value`);
    let out = '';
    for (let i = 0; i < s.length; i++) {
      const c = this.getItem(i) as string;
      if (c === '\0') break;
      out += c;
    }
    return out;
  }

  /** Char arrays (`'c'`): write the string's bytes, NUL-terminated when shorter. */
  set value(text: string) {
    const s = this[ST];
    if (s.info.kind !== 'char' && s.info.kind !== 'wchar')
      throw new TypeError(`'${s.info.code}' arrays have no value`);
    const items = s.info.kind === 'char' ? text.split('') : [...text];
    if (items.length > s.length)
      throw new ValueError(s.info.kind === 'char' ? 'byte string too long' : 'string too long');
    for (let i = 0; i < items.length; i++) this.setItem(i, items[i]);
    if (items.length < s.length) this.setItem(items.length, '\0');
  }

  /** Char arrays (`'c'`): every byte, NULs included, as a Buffer copy; assigning one writes it. */
  get raw(): Buffer {
    const s = this[ST];
    if (s.info.kind !== 'char') throw new TypeError(`'${s.info.code}' arrays have no raw`);
    return Buffer.from(this.getObj() as Uint8Array);
  }

  /** Char arrays (`'c'`): overwrite the first bytes; ValueError when too long. */
  set raw(bytes: Uint8Array) {
    const s = this[ST];
    if (s.info.kind !== 'char') throw new TypeError(`'${s.info.code}' arrays have no raw`);
    if (bytes.length > s.length) throw new ValueError('byte string too long');
    (this.getObj() as Uint8Array).set(bytes);
  }

  /** The lock guarding compound updates (an RLock unless another was given). */
  getLock(): Lock | RLock {
    const lock = this[ST].lock;
    if (lock === null) throw noLock('Array');
    return lock;
  }

  /** The raw storage: a typed array over the shared memory (fastest access; no locking). */
  getObj(): Raw {
    const s = this[ST];
    return new s.info.ctor(viewFor(s).buffer, s.ptr, s.length);
  }

  /** @internal The shared-object description. */
  [SHARED](): SharedDescriptor {
    const s = this[ST];
    const lock = s.lock ? describeShared(s.lock) : null;
    return { type: 'Array', words: [s.ptr, s.length], extra: { code: s.info.code, lock } };
  }

  /** `JSON.stringify(arr)`: the elements as an array. */
  toJSON(): unknown[] {
    return this.toArray();
  }

  /** How `console.log` shows it: Python's repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** A Python-style repr. */
  toString(): string {
    return `<SynchronizedArray wrapper for ${this[ST].info.ctype}_Array_${this.length}(${JSON.stringify(this.toArray())})>`;
  }
}

/** `multiprocessing.Array(typecode, sizeOrValues)`; see {@link SharedArray}. */
export const SharedArrayFactory = callable(SharedArray);

registerSharedType('Array', (d) => {
  const x = d.extra as { code: Typecode; lock: SharedDescriptor | null };
  const data: Attached = { ptr: d.words[0], length: d.words[1], code: x.code, lock: x.lock };
  return attach<SharedArray>(data, () => new SharedArray(x.code, 0));
});
