/**
 * The `lock` option of `Value`/`Array`: `true` (a new RLock, the default), `false` (none), or
 * an existing Lock/RLock, as `multiprocessing.sharedctypes` accepts.
 */
import { Lock } from '../sync/lock.js';
import { RLock } from '../sync/rlock.js';

/** Options of `Value` and `Array`. */
export interface SharedValueOptions {
  /** `true`: a new RLock (default); `false`: no lock; or a Lock/RLock to use. */
  lock?: boolean | Lock | RLock;
}

/** Resolve the `lock` option. */
export function lockFor(options: SharedValueOptions | undefined): Lock | RLock | null {
  const lock = options?.lock ?? true;
  if (lock === true) return new RLock();
  if (lock === false) return null;
  if (lock instanceof Lock || lock instanceof RLock) return lock;
  throw new TypeError(`lock must be true, false, a Lock or an RLock, not ${String(lock)}`);
}

/** The error for `getLock()` on an object made with `{ lock: false }`. */
export function noLock(what: string): TypeError {
  return new TypeError(`this ${what} was created with { lock: false } and has no lock`);
}

/** Make a class callable without `new`, as Python's factory functions are. */
export function callable<C extends abstract new (...args: any[]) => any>(
  cls: C,
): C & ((...args: ConstructorParameters<C>) => InstanceType<C>) {
  return new Proxy(cls, {
    apply: (target, _this, args) => Reflect.construct(target, args),
  }) as C & ((...args: ConstructorParameters<C>) => InstanceType<C>);
}
