/**
 * The shapes of manager proxies. Every method returns a Promise: the call travels to the
 * manager process and the reply comes back through the caller's event loop.
 */

/** Members every proxy has (Python's `BaseProxy`). */
export interface BaseProxy {
  /** A copy of the referent (Python's `_getvalue()`). */
  _getvalue(): Promise<unknown>;
  /** Drop the referent in the manager (every proxy of it stops working). */
  _release(): Promise<void>;
  readonly _typeid: string;
  readonly _id: number;
  readonly _address: string;
}

/**
 * Python's `Namespace` proxy: `ns.x = 1` sets an attribute in the manager (sent at once),
 * `await ns.x` reads it.
 */
export type NamespaceProxy = BaseProxy & { [attr: string]: any };

/** A `dict` in the manager. Missing keys: `get()` gives the default, `getItem()` throws KeyError. */
export interface DictProxy<K = any, V = any> extends BaseProxy {
  get(key: K, dflt?: V | null): Promise<V | null>;
  getItem(key: K): Promise<V>;
  set(key: K, value: V): Promise<void>;
  has(key: K): Promise<boolean>;
  delete(key: K): Promise<void>;
  pop(key: K, dflt?: V): Promise<V>;
  popitem(): Promise<[K, V]>;
  setdefault(key: K, dflt?: V | null): Promise<V>;
  update(other: Record<string, V> | Iterable<[K, V]>): Promise<void>;
  keys(): Promise<K[]>;
  values(): Promise<V[]>;
  items(): Promise<[K, V][]>;
  len(): Promise<number>;
  clear(): Promise<void>;
  copy(): Promise<Map<K, V>>;
}

/** A `list` in the manager (negative indexes as Python's; IndexError out of range). */
export interface ListProxy<T = any> extends BaseProxy {
  get(i: number): Promise<T>;
  set(i: number, value: T): Promise<void>;
  append(value: T): Promise<void>;
  extend(values: Iterable<T>): Promise<void>;
  insert(i: number, value: T): Promise<void>;
  pop(i?: number): Promise<T>;
  remove(value: T): Promise<void>;
  index(value: T): Promise<number>;
  count(value: T): Promise<number>;
  len(): Promise<number>;
  reverse(): Promise<void>;
  sort(reverse?: boolean): Promise<void>;
  slice(start?: number, end?: number): Promise<T[]>;
  clear(): Promise<void>;
  copy(): Promise<T[]>;
}

/** A `queue.Queue` in the manager (Empty / Full as core's). */
export interface QueueProxy<T = any> extends BaseProxy {
  put(item: T, block?: boolean, timeout?: number | null): Promise<void>;
  putNowait(item: T): Promise<void>;
  get(block?: boolean, timeout?: number | null): Promise<T>;
  getNowait(): Promise<T>;
  taskDone(): Promise<void>;
  join(): Promise<void>;
  qsize(): Promise<number>;
  empty(): Promise<boolean>;
  full(): Promise<boolean>;
}

/** A Lock, RLock, Semaphore or BoundedSemaphore in the manager (Python's `AcquirerProxy`). */
export interface AcquirerProxy extends BaseProxy {
  acquire(blocking?: boolean, timeout?: number | null): Promise<boolean>;
  release(n?: number): Promise<void>;
  locked(): Promise<boolean>;
}

/** A `threading.Event` in the manager. */
export interface EventProxy extends BaseProxy {
  isSet(): Promise<boolean>;
  set(): Promise<void>;
  clear(): Promise<void>;
  wait(timeout?: number | null): Promise<boolean>;
}

/** A `threading.Condition` in the manager (ownership per connection, i.e. per thread). */
export interface ConditionProxy extends BaseProxy {
  acquire(blocking?: boolean, timeout?: number | null): Promise<boolean>;
  release(): Promise<void>;
  wait(timeout?: number | null): Promise<boolean>;
  notify(n?: number): Promise<void>;
  notifyAll(): Promise<void>;
}

/** A value in the manager: `await v.value` / `v.value = x`, or `get()` / `set(x)`. */
export interface ValueProxy<T = any> extends BaseProxy {
  value: T | Promise<T>;
  readonly typecode: Promise<string>;
  get(): Promise<T>;
  set(value: T): Promise<void>;
}

/** A fixed-length array in the manager. */
export interface ArrayProxy<T = any> extends BaseProxy {
  get(i: number): Promise<T>;
  set(i: number, value: T): Promise<void>;
  len(): Promise<number>;
  slice(start?: number, end?: number): Promise<T[]>;
}
