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
  const c = key.charCodeAt(0);
  if (!((c >= 48 && c <= 57) || c === 45)) return undefined;
  const n = Number(key);
  return Number.isInteger(n) && String(n) === key ? n : undefined;
}

const handler: ProxyHandler<IndexedTarget> = {
  get(target, key) {
    const i = toIndex(key);
    if (i !== undefined) return target.getItem(i);
    return Reflect.get(target, key, target);
  },
  set(target, key, value) {
    const i = toIndex(key);
    if (i !== undefined) {
      target.setItem(i, value);
      return true;
    }
    return Reflect.set(target, key, value, target);
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
