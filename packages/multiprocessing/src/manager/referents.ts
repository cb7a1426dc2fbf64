/**
 * The objects a SyncManager serves (Python's `SyncManager` types). They live in the manager
 * process and run on its event loop, so every blocking operation is async there: a `get()`
 * on an empty queue waits for a `put()` from another connection without holding anything up.
 * Errors and timeout rules are CPython's (`Empty`, `Full`, "release unlocked lock", …).
 */
import { Empty, Full, IndexError, RuntimeError, ValueError } from '@threadkit/core';
import { timeouts } from '@threadkit/core/internal';
import { KeyError } from '../errors.js';

/** Who is calling: one id per client connection (a thread of a client process). */
export type Owner = number;

/** A waiter that a timer or an event settles. */
class Waiters<T> {
  readonly #list: {
    resolve: (v: T | false) => void;
    timer: NodeJS.Timeout | null;
    data: unknown;
  }[] = [];

  /** Wait until woken (resolves with the wake value) or `deadline` (resolves false). */
  wait(deadline: number, data?: unknown): Promise<T | false> {
    return new Promise((resolve) => {
      const entry = { resolve, timer: null as NodeJS.Timeout | null, data };
      if (deadline !== Number.POSITIVE_INFINITY) {
        entry.timer = setTimeout(
          () => {
            const i = this.#list.indexOf(entry);
            if (i >= 0) this.#list.splice(i, 1);
            resolve(false);
          },
          Math.max(0, deadline - performance.now()),
        );
      }
      this.#list.push(entry);
    });
  }

  /** Wake the oldest waiter with `value`; false if there is none. */
  wakeOne(value: T): boolean {
    const entry = this.#list.shift();
    if (!entry) return false;
    if (entry.timer) clearTimeout(entry.timer);
    entry.resolve(value);
    return true;
  }

  /** The data of the oldest waiter. */
  peek(): unknown {
    return this.#list[0]?.data;
  }

  get length(): number {
    return this.#list.length;
  }
}

/** Python's `Namespace`: attributes set and read through the proxy. */
export class NamespaceRef {
  constructor(init?: Record<string, unknown>) {
    if (init) Object.assign(this, init);
  }
}

function normIndex(i: number, len: number, insert = false): number {
  if (!Number.isInteger(i)) throw new TypeError('list indices must be integers');
  const k = i < 0 ? i + len : i;
  if (insert) return Math.max(0, Math.min(len, k));
  if (k < 0 || k >= len) throw new IndexError('list index out of range');
  return k;
}

/** Python's `dict`, over a Map (keys are compared as JS Map keys). */
export class DictRef {
  readonly #m: Map<unknown, unknown>;

  constructor(init?: Record<string, unknown> | Iterable<[unknown, unknown]> | null) {
    this.#m = new Map(
      init == null
        ? []
        : Symbol.iterator in Object(init)
          ? (init as Iterable<[unknown, unknown]>)
          : Object.entries(init),
    );
  }

  get(key: unknown, dflt: unknown = null): unknown {
    return this.#m.has(key) ? this.#m.get(key) : dflt;
  }
  getItem(key: unknown): unknown {
    if (!this.#m.has(key)) throw new KeyError(String(key));
    return this.#m.get(key);
  }
  set(key: unknown, value: unknown): void {
    this.#m.set(key, value);
  }
  has(key: unknown): boolean {
    return this.#m.has(key);
  }
  delete(key: unknown): void {
    if (!this.#m.delete(key)) throw new KeyError(String(key));
  }
  pop(key: unknown, ...dflt: unknown[]): unknown {
    if (this.#m.has(key)) {
      const v = this.#m.get(key);
      this.#m.delete(key);
      return v;
    }
    if (dflt.length > 0) return dflt[0];
    throw new KeyError(String(key));
  }
  popitem(): [unknown, unknown] {
    const last = [...this.#m.entries()].at(-1);
    if (!last) throw new KeyError('popitem(): dictionary is empty');
    this.#m.delete(last[0]);
    return last;
  }
  setdefault(key: unknown, dflt: unknown = null): unknown {
    if (!this.#m.has(key)) this.#m.set(key, dflt);
    return this.#m.get(key);
  }
  update(other: Record<string, unknown> | Iterable<[unknown, unknown]>): void {
    const entries =
      Symbol.iterator in Object(other)
        ? (other as Iterable<[unknown, unknown]>)
        : Object.entries(other);
    for (const [k, v] of entries) this.#m.set(k, v);
  }
  keys(): unknown[] {
    return [...this.#m.keys()];
  }
  values(): unknown[] {
    return [...this.#m.values()];
  }
  items(): [unknown, unknown][] {
    return [...this.#m.entries()];
  }
  len(): number {
    return this.#m.size;
  }
  clear(): void {
    this.#m.clear();
  }
  copy(): Map<unknown, unknown> {
    return new Map(this.#m);
  }
  /** @internal `_getvalue()` */
  snapshot(): Map<unknown, unknown> {
    return this.copy();
  }
}

/** Python's `list`. */
export class ListRef {
  readonly #a: unknown[];

  constructor(init?: Iterable<unknown> | null) {
    this.#a = init == null ? [] : [...init];
  }

  get(i: number): unknown {
    return this.#a[normIndex(i, this.#a.length)];
  }
  set(i: number, value: unknown): void {
    this.#a[normIndex(i, this.#a.length)] = value;
  }
  append(value: unknown): void {
    this.#a.push(value);
  }
  extend(values: Iterable<unknown>): void {
    this.#a.push(...values);
  }
  insert(i: number, value: unknown): void {
    this.#a.splice(normIndex(i, this.#a.length, true), 0, value);
  }
  pop(i = -1): unknown {
    if (this.#a.length === 0) throw new IndexError('pop from empty list');
    return this.#a.splice(normIndex(i, this.#a.length), 1)[0];
  }
  remove(value: unknown): void {
    const k = this.index(value);
    this.#a.splice(k, 1);
  }
  index(value: unknown): number {
    const k = this.#a.findIndex((e) => Object.is(e, value) || e === value);
    if (k < 0) throw new ValueError(`${String(value)} is not in list`);
    return k;
  }
  count(value: unknown): number {
    return this.#a.filter((e) => e === value).length;
  }
  len(): number {
    return this.#a.length;
  }
  reverse(): void {
    this.#a.reverse();
  }
  sort(reverse = false): void {
    this.#a.sort((x: any, y: any) => (x < y ? -1 : x > y ? 1 : 0) * (reverse ? -1 : 1));
  }
  slice(start?: number, end?: number): unknown[] {
    return this.#a.slice(start, end);
  }
  clear(): void {
    this.#a.length = 0;
  }
  copy(): unknown[] {
    return [...this.#a];
  }
  /** @internal `_getvalue()` */
  snapshot(): unknown[] {
    return this.copy();
  }
}

/** Python's `Value` of a manager: a typecode and a value, read and written through the proxy. */
export class ValueRef {
  readonly typecode: string;
  value: unknown;

  constructor(typecode: string, value: unknown) {
    this.typecode = typecode;
    this.value = value;
  }
  get(): unknown {
    return this.value;
  }
  set(value: unknown): void {
    this.value = value;
  }
  /** @internal `_getvalue()` */
  snapshot(): unknown {
    return this.value;
  }
}

/** Python's `Array` of a manager: a fixed-length sequence. */
export class ArrayRef {
  readonly typecode: string;
  readonly #a: unknown[];

  constructor(typecode: string, sequence: Iterable<unknown> | number) {
    this.typecode = typecode;
    this.#a = typeof sequence === 'number' ? new Array(sequence).fill(0) : [...sequence];
  }
  get(i: number): unknown {
    return this.#a[normIndex(i, this.#a.length)];
  }
  set(i: number, value: unknown): void {
    this.#a[normIndex(i, this.#a.length)] = value;
  }
  len(): number {
    return this.#a.length;
  }
  slice(start?: number, end?: number): unknown[] {
    return this.#a.slice(start, end);
  }
  /** @internal `_getvalue()` */
  snapshot(): unknown[] {
    return [...this.#a];
  }
}

/** Python's `queue.Queue` served by a manager (with `taskDone`/`join`). */
export class QueueRef {
  readonly maxsize: number;
  readonly #items: unknown[] = [];
  readonly #getters = new Waiters<true>();
  readonly #putters = new Waiters<true>();
  readonly #joiners = new Waiters<true>();
  #unfinished = 0;

  constructor(maxsize = 0) {
    this.maxsize = Math.max(0, Math.trunc(Number(maxsize) || 0));
  }

  async put(item: unknown, block = true, timeout: number | null = null): Promise<void> {
    if (this.maxsize > 0) {
      const deadline = block ? timeouts.queueDeadline(timeout) : null;
      while (this.#items.length >= this.maxsize) {
        if (deadline === null || performance.now() >= deadline) throw new Full();
        await this.#putters.wait(deadline);
      }
    }
    this.#items.push(item);
    this.#unfinished++;
    this.#getters.wakeOne(true);
  }
  putNowait(item: unknown): Promise<void> {
    return this.put(item, false);
  }
  async get(block = true, timeout: number | null = null): Promise<unknown> {
    const deadline = block ? timeouts.queueDeadline(timeout) : null;
    while (this.#items.length === 0) {
      if (deadline === null || performance.now() >= deadline) throw new Empty();
      await this.#getters.wait(deadline);
    }
    const item = this.#items.shift();
    this.#putters.wakeOne(true);
    return item;
  }
  getNowait(): Promise<unknown> {
    return this.get(false);
  }
  taskDone(): void {
    if (this.#unfinished <= 0) throw new ValueError('task_done() called too many times');
    if (--this.#unfinished === 0) while (this.#joiners.wakeOne(true));
  }
  async join(): Promise<void> {
    while (this.#unfinished > 0) await this.#joiners.wait(Number.POSITIVE_INFINITY);
  }
  qsize(): number {
    return this.#items.length;
  }
  empty(): boolean {
    return this.#items.length === 0;
  }
  full(): boolean {
    return this.maxsize > 0 && this.#items.length >= this.maxsize;
  }
  /** @internal `_getvalue()` */
  snapshot(): unknown[] {
    return [...this.#items];
  }
}

/** `threading.Lock` served by a manager: any client may release it. */
export class LockRef {
  #held = false;
  readonly #waiters = new Waiters<true>();

  async acquire(blocking = true, timeout: number | null = -1): Promise<boolean> {
    const deadline = timeouts.lockDeadline(blocking, timeout);
    if (!this.#held) {
      this.#held = true;
      return true;
    }
    if (deadline === null) return false;
    return (await this.#waiters.wait(deadline)) === true; // handed over by release()
  }
  release(): void {
    if (!this.#held) throw new RuntimeError('release unlocked lock');
    if (!this.#waiters.wakeOne(true)) this.#held = false;
  }
  locked(): boolean {
    return this.#held;
  }
}

/** `threading.RLock` served by a manager; the owner is the calling connection. */
export class RLockRef {
  #owner: Owner = 0;
  #count = 0;
  readonly #waiters = new Waiters<true>();

  async acquire(owner: Owner, blocking = true, timeout: number | null = -1): Promise<boolean> {
    const deadline = timeouts.lockDeadline(blocking, timeout);
    if (this.#owner === owner) {
      this.#count++;
      return true;
    }
    if (this.#count === 0) {
      this.#owner = owner;
      this.#count = 1;
      return true;
    }
    if (deadline === null) return false;
    return (await this.#waiters.wait(deadline, owner)) === true;
  }
  release(owner: Owner): void {
    if (this.#owner !== owner || this.#count === 0)
      throw new RuntimeError('cannot release un-acquired lock');
    if (--this.#count > 0) return;
    this.#handOver(1);
  }
  /** Give the lock to the oldest waiter with depth `count`, or free it. */
  #handOver(count: number): void {
    const next = this.#waiters.peek() as Owner | undefined;
    if (next !== undefined) {
      this.#owner = next;
      this.#count = count;
      this.#waiters.wakeOne(true);
    } else {
      this.#owner = 0;
      this.#count = 0;
    }
  }
  locked(): boolean {
    return this.#count > 0;
  }
  /** @internal For Condition: release fully, returning the depth. */
  releaseAll(owner: Owner): number {
    if (this.#owner !== owner || this.#count === 0)
      throw new RuntimeError('cannot wait on un-acquired lock');
    const depth = this.#count;
    this.#handOver(1);
    return depth;
  }
  /** @internal For Condition: take it back with depth `depth`. */
  async restore(owner: Owner, depth: number): Promise<void> {
    await this.acquire(owner);
    this.#count = depth;
  }
  isOwned(owner: Owner): boolean {
    return this.#owner === owner && this.#count > 0;
  }
}

/** `threading.Semaphore` / `BoundedSemaphore` served by a manager. */
export class SemaphoreRef {
  #value: number;
  readonly #bound: number | null;
  readonly #waiters = new Waiters<true>();

  constructor(value = 1, bounded = false) {
    if (value < 0) throw new ValueError('semaphore initial value must be >= 0');
    this.#value = value;
    this.#bound = bounded ? value : null;
  }
  async acquire(blocking = true, timeout: number | null = null): Promise<boolean> {
    const deadline = timeouts.semaphoreDeadline(blocking, timeout);
    if (this.#value > 0) {
      this.#value--;
      return true;
    }
    if (deadline === null) return false;
    return (await this.#waiters.wait(deadline)) === true;
  }
  release(n = 1): void {
    if (n < 1) throw new ValueError('n must be one or more');
    if (this.#bound !== null && this.#value + n > this.#bound)
      throw new ValueError('Semaphore released too many times');
    for (let i = 0; i < n; i++) if (!this.#waiters.wakeOne(true)) this.#value++;
  }
  getValue(): number {
    return this.#value;
  }
}

/** `threading.Event` served by a manager. */
export class EventRef {
  #flag = false;
  readonly #waiters = new Waiters<true>();

  isSet(): boolean {
    return this.#flag;
  }
  set(): void {
    this.#flag = true;
    while (this.#waiters.wakeOne(true));
  }
  clear(): void {
    this.#flag = false;
  }
  async wait(timeout: number | null = null): Promise<boolean> {
    const deadline = timeouts.waitDeadline(timeout);
    if (this.#flag) return true;
    if (deadline <= performance.now()) return false;
    return (await this.#waiters.wait(deadline)) === true;
  }
}

/** `threading.Condition` (over an RLock) served by a manager; ownership per connection. */
export class ConditionRef {
  readonly lock = new RLockRef();
  readonly #waiters = new Waiters<true>();

  acquire(owner: Owner, blocking = true, timeout: number | null = -1): Promise<boolean> {
    return this.lock.acquire(owner, blocking, timeout);
  }
  release(owner: Owner): void {
    this.lock.release(owner);
  }
  async wait(owner: Owner, timeout: number | null = null): Promise<boolean> {
    const deadline = timeouts.waitDeadline(timeout);
    const depth = this.lock.releaseAll(owner);
    try {
      if (deadline <= performance.now()) return false;
      return (await this.#waiters.wait(deadline)) === true;
    } finally {
      await this.lock.restore(owner, depth);
    }
  }
  notify(owner: Owner, n = 1): void {
    if (!this.lock.isOwned(owner)) throw new RuntimeError('cannot notify on un-acquired lock');
    for (let i = 0; i < n && this.#waiters.wakeOne(true); i++);
  }
  notifyAll(owner: Owner): void {
    this.notify(owner, Number.POSITIVE_INFINITY);
  }
}

/**
 * Bind an owner-aware object to the calling connection, so the proxy's methods need no owner
 * argument: `lock.acquire()` on an RLock proxy acquires it for that connection.
 */
export function facadeFor(obj: unknown, owner: Owner): unknown {
  if (obj instanceof RLockRef) {
    return {
      acquire: (b?: boolean, t?: number | null) => obj.acquire(owner, b, t),
      release: () => obj.release(owner),
      locked: () => obj.locked(),
    };
  }
  if (obj instanceof ConditionRef) {
    return {
      acquire: (b?: boolean, t?: number | null) => obj.acquire(owner, b, t),
      release: () => obj.release(owner),
      wait: (t?: number | null) => obj.wait(owner, t),
      notify: (n?: number) => obj.notify(owner, n),
      notifyAll: () => obj.notifyAll(owner),
      locked: () => obj.lock.locked(),
    };
  }
  return obj;
}

/** The SyncManager's built-in types: typeid → factory. */
export const BUILTIN_TYPES: Record<string, (...args: any[]) => object> = {
  Namespace: (init?: Record<string, unknown>) => new NamespaceRef(init),
  dict: (init?: Record<string, unknown>) => new DictRef(init),
  list: (init?: Iterable<unknown>) => new ListRef(init),
  Queue: (maxsize?: number) => new QueueRef(maxsize),
  JoinableQueue: (maxsize?: number) => new QueueRef(maxsize),
  Lock: () => new LockRef(),
  RLock: () => new RLockRef(),
  Semaphore: (value?: number) => new SemaphoreRef(value, false),
  BoundedSemaphore: (value?: number) => new SemaphoreRef(value, true),
  Event: () => new EventRef(),
  Condition: () => new ConditionRef(),
  Value: (typecode: string, value: unknown) => new ValueRef(typecode, value),
  Array: (typecode: string, sequence: Iterable<unknown> | number) =>
    new ArrayRef(typecode, sequence),
};
