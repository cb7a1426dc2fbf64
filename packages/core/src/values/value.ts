/**
 * `multiprocessing.Value`: one number (or char) in shared memory, with a lock for compound
 * updates (`with v.get_lock(): v.value += 1` → `v.getLock().withLock(() => v.value++)`).
 */
import { attach, takeAttached } from '../shared/attach.js';
import {
  adoptChild,
  childOf,
  createShared,
  defineLifetime,
  refFor,
  releaseRef,
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

interface Attached {
  ptr: number;
  code: Typecode;
  lock: SharedDescriptor | null;
}

/** A Value owns a count on its lock. */
const VALUE = defineLifetime('Value', { free: (at) => releaseRef(childOf(at)) });

/**
 * A shared value of one of Python's typecodes (`'i'`, `'d'`, `'c'`, …). Reading and writing
 * `.value` is atomic on its own; hold `getLock()` for read-modify-write sequences. Shared:
 * pass it to threads or put it on queues and it arrives as the same memory.
 *
 * Callable with or without `new`: `Value('i', 0)`.
 */
export class SharedValue {
  readonly #info: TypeInfo;
  readonly #ptr: number;
  readonly #lock: Lock | RLock | null;

  /**
   * @param typecode one of b B h H i I l L q Q f d c u
   * @param initial the first value (default 0, or `'\0'` for chars)
   * @param options `{ lock }`: true (a new RLock, default), false, or a Lock/RLock to use
   */
  constructor(
    typecode: Typecode,
    initial?: number | bigint | string | boolean,
    options?: SharedValueOptions,
  ) {
    const att = takeAttached<Attached>();
    if (att !== undefined) {
      this.#info = typeInfo(att.code);
      this.#ptr = att.ptr;
      this.#lock = att.lock ? (reviveShared(att.lock) as Lock | RLock) : null;
      return;
    }
    this.#info = typeInfo(typecode);
    const x =
      initial === undefined ? (this.#info.kind === 'big' ? 0n : 0) : convert(this.#info, initial);
    this.#lock = lockFor(options);
    this.#ptr = createShared(this, VALUE, 8);
    adoptChild(this.#ptr, this.#lock ? refFor(this.#lock) : 0);
    this.#store(x);
  }

  #view(): Raw {
    return viewOf(this.#info, this.#ptr + this.#info.size);
  }

  #store(x: number | bigint): void {
    store(this.#info, this.#view(), this.#ptr / this.#info.size, x);
  }

  /** The value: a number, or a 1-character string for `'c'` and `'u'`. 64-bit types read as numbers. */
  get value(): any {
    return load(this.#info, this.#view(), this.#ptr / this.#info.size);
  }

  /** Store a new value (converted to the typecode). */
  set value(v: number | bigint | string | boolean) {
    this.#store(convert(this.#info, v));
  }

  /** The typecode given to the constructor. */
  get typecode(): Typecode {
    return this.#info.code;
  }

  /** The lock guarding compound updates (an RLock unless another was given). */
  getLock(): Lock | RLock {
    if (this.#lock === null) throw noLock('Value');
    return this.#lock;
  }

  /** The raw storage: a typed array of length 1 over the shared memory (no locking). */
  getObj(): Raw {
    return new this.#info.ctor(this.#view().buffer, this.#ptr, 1);
  }

  /** @internal The shared-object description. */
  [SHARED](): SharedDescriptor {
    const lock = this.#lock ? describeShared(this.#lock) : null;
    return { type: 'Value', words: [this.#ptr], extra: { code: this.#info.code, lock } };
  }

  /** `JSON.stringify(v)`: the value. */
  toJSON(): unknown {
    return this.value;
  }

  /** How `console.log` shows it: Python's repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** A Python-style repr. */
  toString(): string {
    return `<Synchronized wrapper for ${this.#info.ctype}(${JSON.stringify(this.value)})>`;
  }
}

/** `multiprocessing.Value(typecode, initial)`; see {@link SharedValue}. */
export const Value = callable(SharedValue);
/** A shared value; see {@link SharedValue}. */
export type Value = SharedValue;

registerSharedType('Value', (d) => {
  const x = d.extra as { code: Typecode; lock: SharedDescriptor | null };
  return attach<SharedValue>(
    { ptr: d.words[0], code: x.code, lock: x.lock },
    () => new SharedValue(x.code),
  );
});
