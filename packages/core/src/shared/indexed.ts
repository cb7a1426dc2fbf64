/**
 * `obj[i]` for shared sequences (Array, Deque): a Proxy that sends integer keys — negative
 * ones too, as Python's `seq[-1]` — to the object's `getItem`/`setItem`, and everything else
 * to the object itself. Classes behind it keep their state under symbols, not `#private`
 * fields, because their methods run with `this` bound to the proxy.
 */

/** What an indexable shared sequence implements. */
export interface IndexedTarget {
  readonly length: number;
  getItem(i: number): unknown;
  setItem(i: number, value: unknown): void;
}

/** The integer a property key stands for (`'3'`, `'-1'`), or undefined. */
export function toIndex(key: string | symbol): number | undefined {
  if (typeof key !== 'string') return undefined;
  const len = key.length;
  let at = key.charCodeAt(0) === 45 ? 1 : 0; // '-'
  if (len === at || len - at > 15) return undefined;
  let c = key.charCodeAt(at);
  if (c < 48 || c > 57 || (c === 48 && len > at + 1)) return undefined; // no leading zeros
  let n = 0;
  for (; at < len; at++) {
    c = key.charCodeAt(at);
    if (c < 48 || c > 57) return undefined;
    n = n * 10 + (c - 48);
  }
  if (key.charCodeAt(0) === 45) return n === 0 ? undefined : -n; // '-0' is not an index
  return n;
}

const BOUND = Symbol('threadkit.bound');

type BoundCache = Record<string | symbol, ((...a: unknown[]) => unknown) | undefined>;

/** The target's methods, bound to it, by name: filled on first use, emptied on reassignment. */
function boundCache(target: any): BoundCache {
  let cache: BoundCache | undefined = target[BOUND];
  if (cache === undefined) {
    cache = Object.create(null) as BoundCache;
    Object.defineProperty(target, BOUND, { value: cache });
  }
  return cache;
}

const handler: ProxyHandler<IndexedTarget> = {
  get(target, key) {
    const i = toIndex(key);
    if (i !== undefined) return target.getItem(i);
    // Methods come back bound to the target, so that their own `this[…]` reads skip this trap
    // (a trap costs ~25 ns; a method call would otherwise pay two). One lookup in a plain
    // object of bound methods, cheaper than finding the method and then its bound copy.
    const cache = boundCache(target);
    const hit = cache[key];
    if (hit !== undefined) return hit;
    const v = (target as any)[key];
    if (typeof v !== 'function' || key === 'constructor') return v;
    const bound = v.bind(target);
    cache[key] = bound;
    return bound;
  },
  set(target, key, value) {
    const i = toIndex(key);
    if (i !== undefined) {
      target.setItem(i, value);
      return true;
    }
    const cache = (target as any)[BOUND] as BoundCache | undefined;
    if (cache !== undefined) delete cache[key]; // a method replaced (a spy): bind it afresh
    return Reflect.set(target, key, value, target);
  },
  defineProperty(target, key, desc) {
    const cache = (target as any)[BOUND] as BoundCache | undefined;
    if (cache !== undefined) delete cache[key];
    return Reflect.defineProperty(target, key, desc);
  },
  deleteProperty(target, key) {
    const cache = (target as any)[BOUND] as BoundCache | undefined;
    if (cache !== undefined) delete cache[key];
    return Reflect.deleteProperty(target, key);
  },
  has(target, key) {
    const i = toIndex(key);
    if (i !== undefined) return i >= 0 && i < target.length;
    return Reflect.has(target, key);
  },
  ownKeys(target) {
    const keys: (string | symbol)[] = [];
    for (let i = 0; i < target.length; i++) keys.push(String(i));
    return keys.concat(Reflect.ownKeys(target));
  },
  getOwnPropertyDescriptor(target, key) {
    const i = toIndex(key);
    if (i !== undefined && i >= 0 && i < target.length) {
      return { value: target.getItem(i), writable: true, enumerable: true, configurable: true };
    }
    return Reflect.getOwnPropertyDescriptor(target, key);
  },
};

/** Wrap `target` so that `proxy[i]` reads and writes its items. */
export function indexed<T extends IndexedTarget>(target: T): T {
  return new Proxy(target, handler as ProxyHandler<T>);
}
