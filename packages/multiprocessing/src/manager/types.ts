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
  /** The referent's registered type name (Python's `_typeid`). */
  readonly _typeid: string;
  /** The referent's id in the manager. */
  readonly _id: number;
  /** The manager's address. */
  readonly _address: string;
}

/**
 * Python's `Namespace` proxy: `ns.x = 1` sets an attribute in the manager (sent at once),
 * `await ns.x` reads it.
 */
export type NamespaceProxy = BaseProxy & { [attr: string]: any };

/** A `dict` in the manager. Missing keys: `get()` gives the default, `getItem()` throws KeyError. */
export interface DictProxy<K = any, V = any> extends BaseProxy {
  /** `d.get(key, default)`: the value, or `dflt` (default null) when missing. */
  get(key: K, dflt?: V | null): Promise<V | null>;
  /** `d[key]`: the value; KeyError when missing. */
  getItem(key: K): Promise<V>;
  /** `d[key] = value`. */
  set(key: K, value: V): Promise<void>;
  /** `key in d`. */
  has(key: K): Promise<boolean>;
  /** `del d[key]`; KeyError when missing. */
  delete(key: K): Promise<void>;
  /** Remove and return the value; `dflt` when missing, else KeyError. */
  pop(key: K, dflt?: V): Promise<V>;
  /** Remove and return the last inserted `[key, value]`; KeyError when empty. */
  popitem(): Promise<[K, V]>;
  /** The value if present, else store `dflt` and return it. */
  setdefault(key: K, dflt?: V | null): Promise<V>;
  /** Set every pair of `other`. */
  update(other: Record<string, V> | Iterable<[K, V]>): Promise<void>;
  /** The keys, as an array copy. */
  keys(): Promise<K[]>;
  /** The values, as an array copy. */
  values(): Promise<V[]>;
  /** The `[key, value]` pairs, as an array copy. */
  items(): Promise<[K, V][]>;
  /** `len(d)`. */
  len(): Promise<number>;
  /** Remove every item. */
  clear(): Promise<void>;
  /** A copy of the whole dict as a Map. */
  copy(): Promise<Map<K, V>>;
}

/** A `list` in the manager (negative indexes as Python's; IndexError out of range). */
export interface ListProxy<T = any> extends BaseProxy {
  /** `l[i]` (negative from the end); IndexError out of range. */
  get(i: number): Promise<T>;
  /** `l[i] = value`; IndexError out of range. */
  set(i: number, value: T): Promise<void>;
  /** Add `value` at the end. */
  append(value: T): Promise<void>;
  /** Add every value at the end. */
  extend(values: Iterable<T>): Promise<void>;
  /** Insert `value` before index `i`. */
  insert(i: number, value: T): Promise<void>;
  /** Remove and return `l[i]` (default the last); IndexError when empty. */
  pop(i?: number): Promise<T>;
  /** Remove the first item equal to `value`; ValueError when absent. */
  remove(value: T): Promise<void>;
  /** The index of the first item equal to `value`; ValueError when absent. */
  index(value: T): Promise<number>;
  /** How many items equal `value`. */
  count(value: T): Promise<number>;
  /** `len(l)`. */
  len(): Promise<number>;
  /** Reverse in place. */
  reverse(): Promise<void>;
  /** Sort in place (Python's ordering); descending with `reverse`. */
  sort(reverse?: boolean): Promise<void>;
  /** `l[start:end]` as an array copy. */
  slice(start?: number, end?: number): Promise<T[]>;
  /** Remove every item. */
  clear(): Promise<void>;
  /** A copy of the whole list as an array. */
  copy(): Promise<T[]>;
}

/** A `queue.Queue` in the manager (Empty / Full as core's). */
export interface QueueProxy<T = any> extends BaseProxy {
  /** Put `item`, waiting while full (seconds; Full on timeout). */
  put(item: T, block?: boolean, timeout?: number | null): Promise<void>;
  /** `put(item, false)`: Full at once when full. */
  putNowait(item: T): Promise<void>;
  /** Remove and return the next item, waiting while empty (Empty on timeout). */
  get(block?: boolean, timeout?: number | null): Promise<T>;
  /** `get(false)`: Empty at once when empty. */
  getNowait(): Promise<T>;
  /** Mark one fetched item processed. */
  taskDone(): Promise<void>;
  /** Resolve once every item put has been marked done. */
  join(): Promise<void>;
  /** The approximate number of items. */
  qsize(): Promise<number>;
  /** Whether the queue is empty (approximate). */
  empty(): Promise<boolean>;
  /** Whether the queue is full (approximate). */
  full(): Promise<boolean>;
}

/** A Lock, RLock, Semaphore or BoundedSemaphore in the manager (Python's `AcquirerProxy`). */
export interface AcquirerProxy extends BaseProxy {
  /** Acquire, waiting up to `timeout` seconds; false on timeout or when not blocking. */
  acquire(blocking?: boolean, timeout?: number | null): Promise<boolean>;
  /** Release (`n` units for a semaphore). */
  release(n?: number): Promise<void>;
  /** Whether it is held. */
  locked(): Promise<boolean>;
}

/** A `threading.Event` in the manager. */
export interface EventProxy extends BaseProxy {
  /** Whether the flag is set. */
  isSet(): Promise<boolean>;
  /** Set the flag and wake every waiter. */
  set(): Promise<void>;
  /** Reset the flag. */
  clear(): Promise<void>;
  /** Wait until the flag is set; false on timeout. */
  wait(timeout?: number | null): Promise<boolean>;
}

/** A `threading.Condition` in the manager (ownership per connection, i.e. per thread). */
export interface ConditionProxy extends BaseProxy {
  /** Acquire the underlying lock. */
  acquire(blocking?: boolean, timeout?: number | null): Promise<boolean>;
  /** Release the underlying lock. */
  release(): Promise<void>;
  /** Release the lock, wait for a notify, re-acquire; false on timeout. */
  wait(timeout?: number | null): Promise<boolean>;
  /** Wake up to `n` waiters (default 1). */
  notify(n?: number): Promise<void>;
  /** Wake every waiter. */
  notifyAll(): Promise<void>;
}

/** A value in the manager: `await v.value` / `v.value = x`, or `get()` / `set(x)`. */
export interface ValueProxy<T = any> extends BaseProxy {
  /** The value: reading gives a Promise; assigning sends the new value. */
  value: T | Promise<T>;
  /** The typecode the value was made with. */
  readonly typecode: Promise<string>;
  /** The value. */
  get(): Promise<T>;
  /** Store `value`. */
  set(value: T): Promise<void>;
}

/** A fixed-length array in the manager. */
export interface ArrayProxy<T = any> extends BaseProxy {
  /** `a[i]`; IndexError out of range. */
  get(i: number): Promise<T>;
  /** `a[i] = value`; IndexError out of range. */
  set(i: number, value: T): Promise<void>;
  /** `len(a)`. */
  len(): Promise<number>;
  /** `a[start:end]` as an array copy. */
  slice(start?: number, end?: number): Promise<T[]>;
}
