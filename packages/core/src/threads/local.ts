/**
 * `threading.local`: attributes that belong to the thread that sets them. A worker runs one
 * thread at a time (then the next, when reused), so per-thread storage is a table that is
 * reset when a thread ends: a reused worker never shows one thread's locals to the next.
 */

import { attach, takeAttached } from '../shared/attach.js';
import { allocObject, defineLifetime, track } from '../shared/lifetime.js';
import { registerSharedType, SHARED, type SharedDescriptor } from '../shared/protocol.js';
import { stateSlot } from '../thread-state.js';

/** A local's shared part is just its identity (its attributes are per thread). */
const LOCAL = defineLifetime('local');

const storage = stateSlot('locals', () => ({
  table: new WeakMap<object, Record<string, unknown>>(),
}));

/** Forget every local's attributes for the thread that just ended. Package-internal (not in index.ts). */
export function resetLocals(): void {
  storage.table = new WeakMap();
}

interface LocalMeta {
  cls: Function;
  args: unknown[];
  proxy: object;
  /** The shared identity: one local per thread however often it arrives. */
  ref: number;
}

let reinit: object | null = null;

/**
 * Thread-local data. Attributes set on it are seen only by the thread that set them:
 * ```ts
 * const data = new local();
 * data.x = 1; // only in this thread
 * ```
 * A subclass's constructor runs once per thread that touches the object, with the original
 * arguments (pass them on with `super(...args)`). A `local` sent to another thread arrives
 * empty there, as in Python.
 */
export class local {
  [key: string]: any;

  constructor(...args: unknown[]) {
    const attached = takeAttached<number>();
    if (reinit) {
      // Re-running a subclass constructor for a new thread: initialise the existing proxy.
      const proxy = reinit;
      reinit = null;
      // biome-ignore lint/correctness/noConstructorReturn: the per-thread view is the object
      return proxy as local;
    }
    if (new.target === local && args.length > 0) {
      throw new TypeError('Initialization arguments are not supported');
    }
    const target = Object.create(new.target.prototype) as object;
    const meta: LocalMeta = { cls: new.target, args, proxy: target, ref: attached ?? 0 };
    const dictFor = (): Record<string, unknown> => {
      let dict = storage.table.get(target);
      if (!dict) {
        dict = Object.create(null) as Record<string, unknown>;
        storage.table.set(target, dict);
        if (meta.cls !== local && initialised) {
          reinit = proxy;
          try {
            Reflect.construct(meta.cls, meta.args);
          } finally {
            reinit = null;
          }
        }
      }
      return dict;
    };
    let initialised = false;
    const proto = new.target.prototype as object;
    const proxy = new Proxy(target, {
      get(_t, key, receiver) {
        if (key === LOCAL_META) return meta;
        if (typeof key === 'symbol') return Reflect.get(proto, key, receiver);
        const dict = dictFor();
        if (key in dict) return dict[key];
        return Reflect.get(proto, key, receiver);
      },
      set(_t, key, value) {
        if (typeof key === 'symbol') return false;
        dictFor()[key] = value;
        return true;
      },
      has(_t, key) {
        if (typeof key === 'symbol') return key in proto;
        return key in dictFor() || key in proto;
      },
      deleteProperty(_t, key) {
        if (typeof key === 'symbol') return false;
        const dict = dictFor();
        if (!(key in dict)) return false;
        delete dict[key];
        return true;
      },
      ownKeys() {
        return Reflect.ownKeys(dictFor());
      },
      getOwnPropertyDescriptor(_t, key) {
        if (typeof key === 'symbol') return undefined;
        const dict = dictFor();
        if (!(key in dict)) return undefined;
        return { value: dict[key], writable: true, enumerable: true, configurable: true };
      },
      defineProperty(_t, key, desc) {
        if (typeof key === 'symbol') return false;
        dictFor()[key] = desc.value;
        return true;
      },
      getPrototypeOf() {
        return proto;
      },
    });
    meta.proxy = proxy;
    if (attached === undefined) {
      meta.ref = allocObject(LOCAL, 0);
      track(proxy, meta.ref, false);
    }
    dictFor(); // this thread's storage exists before the subclass constructor body runs
    initialised = true;
    // biome-ignore lint/correctness/noConstructorReturn: the per-thread view is the object
    return proxy as local;
  }

  /** @internal A local crosses as a fresh, empty local (its class must be `local` itself). */
  [SHARED](): SharedDescriptor {
    return {
      type: 'local',
      words: [(this as unknown as { [LOCAL_META]: LocalMeta })[LOCAL_META].ref],
    };
  }
}

const LOCAL_META = Symbol('threadkit.local.meta');

registerSharedType('local', (d) => attach(d.words[0], () => new local()));
