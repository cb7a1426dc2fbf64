/**
 * The shared-object protocol (docs/CONTRACT.md §2). A shared object — a primitive, a queue, a shared
 * value, a thread handle — describes itself as plain data (`{ type, words, extra }`: type
 * name, arena offsets, extra cloneable data) and is rebuilt on the other side by the reviver registered
 * for its type. Because every thread maps the same arena, that description crosses
 * postMessage, queue bytes and any nesting depth, and arrives as a working instance.
 */
import { DataCloneError } from '../errors.js';
import { stateSlot } from '../thread-state.js';
import {
  checkLive,
  generationOf,
  handleFor,
  indexHandle,
  refFor,
  releaseRef,
  retainRef,
  track,
} from './lifetime.js';

/** Method every shared object implements: its cross-thread description. */
export const SHARED = Symbol.for('threadkit.shared');

/** The data a shared object travels as. `extra` must be structured-cloneable. */
export interface SharedDescriptor {
  /** Registered type name, e.g. `'Lock'`. */
  type: string;
  /** Arena word indices / integers that locate the object's shared memory. */
  words: number[];
  /** Extra cloneable data (names, typecodes, an action target…). */
  extra?: unknown;
  /** Set by the protocol for reference-counted objects: the object's ref (shared/lifetime.ts). */
  ref?: number;
  /** Set with `ref`: the block generation, checked on revival (a stale descriptor is an error). */
  gen?: number;
}

/** An object that crosses threads by reference. */
export interface SharedObject {
  [SHARED](): SharedDescriptor;
}

/** Key of the placeholder that replaces a shared object inside an encoded value. */
const MARK = '__threadkit_shared__';

type Reviver = (d: SharedDescriptor) => object;
const revivers = stateSlot('revivers', () => new Map<string, Reviver>());

/** Register how to rebuild shared objects of type `t` in this thread. */
export function registerSharedType(t: string, revive: Reviver): void {
  if (!revivers.has(t)) revivers.set(t, revive);
}

/** Whether `value` is a threadkit shared object. */
export function isShared(value: unknown): value is SharedObject {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as any)[SHARED] === 'function'
  );
}

// One object per shared object per thread, as in Python where both names are the same object:
// a lock received twice (in two messages, or from a queue) is `===` to itself.
const instances = stateSlot('sharedInstances', () => ({
  byKey: new Map<string, WeakRef<object>>(),
  gone: new FinalizationRegistry<string>((key) => {
    const ref = instances.byKey.get(key);
    if (ref && ref.deref() === undefined) instances.byKey.delete(key);
  }),
}));

/**
 * The description of `obj` as {@link encodeShared} makes it, with its ref, WITHOUT taking a
 * count: for a container describing a child it holds a count on (a Condition's lock).
 */
export function describeShared(obj: SharedObject): SharedDescriptor {
  const d = obj[SHARED]();
  const ref = refFor(obj);
  if (ref !== 0) {
    indexHandle(obj, ref);
    d.ref = ref;
    d.gen = generationOf(ref);
  }
  return d;
}

/**
 * Rebuild a shared object from its descriptor (the same object if this thread has it).
 * `consume`: the descriptor is an encoded copy whose count moves into this thread (a queue
 * item taken, task arguments); false for one that stays where it is (a peeked item, a child
 * described inside its container's descriptor).
 */
export function reviveShared(d: SharedDescriptor, consume = false): object {
  const revive = revivers.get(d.type);
  if (!revive) {
    throw new DataCloneError(
      `cannot rebuild a shared ${d.type} in this thread: its module is not loaded (import it first)`,
    );
  }
  const ref = d.ref;
  if (ref !== undefined) {
    checkLive(ref, d.gen ?? -1, d.type);
    const known = handleFor(ref);
    if (known) {
      if (consume) releaseRef(ref); // this thread's handle already holds its count
      return known;
    }
    const obj = revive(d);
    if (!consume) retainRef(ref);
    track(obj, ref);
    return obj;
  }
  // Types without a reference count (permanent memory): identity by type and words.
  if (d.words.length === 0) return revive(d);
  const key = `${d.type}:${d.words.join(',')}`;
  const known = instances.byKey.get(key)?.deref();
  if (known) return known;
  const obj = revive(d);
  instances.byKey.set(key, new WeakRef(obj));
  instances.gone.register(obj, key);
  return obj;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Built-in objects that structured clone copies faithfully; walked no further. */
function isCloneableLeaf(v: object): boolean {
  return (
    v instanceof Date ||
    v instanceof RegExp ||
    ArrayBuffer.isView(v) ||
    v instanceof ArrayBuffer ||
    v instanceof SharedArrayBuffer ||
    v instanceof Error ||
    v instanceof Boolean ||
    v instanceof Number ||
    v instanceof String ||
    (typeof Blob !== 'undefined' && v instanceof Blob)
  );
}

function fail(path: string, what: string): never {
  throw new DataCloneError(`${path} cannot be sent to another thread: ${what}`);
}

function describeUncloneable(v: unknown): string | null {
  if (typeof v === 'function') {
    return `it is a function (${(v as Function).name || 'anonymous'}); pass data, or make it a thread target`;
  }
  if (typeof v === 'symbol') return 'it is a symbol';
  return null;
}

/**
 * Encode `value` for crossing a thread boundary: shared objects become placeholders, and
 * anything that structured clone would reject (or silently mangle, like a class instance
 * that carries methods) is rejected here with its path, e.g. `args[1].handler`.
 * Returns the value itself when it contains no shared object (nothing to copy).
 */
export function encodeShared(value: unknown, path = 'value', retain = true): unknown {
  const seen = new Map<object, unknown>();
  const taken: number[] = [];
  const walk = (v: unknown, p: string): unknown => {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
      const bad = describeUncloneable(v);
      if (bad) fail(p, bad);
      return v;
    }
    const obj = v as object;
    if (seen.has(obj)) return seen.get(obj);
    if (isShared(v)) {
      // The same placeholder for every occurrence: structured clone keeps it one object.
      // The copy holds a count from here until it is revived or discarded (Arc::clone).
      const d = describeShared(v);
      if (retain && d.ref !== undefined) {
        retainRef(d.ref);
        taken.push(d.ref);
      }
      const placeholder = { [MARK]: d };
      seen.set(obj, placeholder);
      return placeholder;
    }
    const bad = describeUncloneable(v);
    if (bad) fail(p, bad);
    if (isCloneableLeaf(obj)) return obj;
    if (Array.isArray(obj)) {
      const out: unknown[] = [];
      seen.set(obj, out);
      let changed = false;
      for (let i = 0; i < obj.length; i++) {
        const e = walk(obj[i], `${p}[${i}]`);
        changed ||= e !== obj[i];
        out.push(e);
      }
      if (!changed) seen.set(obj, obj);
      return changed ? out : obj;
    }
    if (obj instanceof Map) {
      const out = new Map();
      seen.set(obj, out);
      let changed = false;
      for (const [k, e] of obj) {
        const key = walk(k, `${p}.keys()`);
        const val = walk(e, `${p}.get(${typeof k === 'string' ? JSON.stringify(k) : String(k)})`);
        changed ||= key !== k || val !== e;
        out.set(key, val);
      }
      if (!changed) seen.set(obj, obj);
      return changed ? out : obj;
    }
    if (obj instanceof Set) {
      const out = new Set();
      seen.set(obj, out);
      let changed = false;
      let i = 0;
      for (const e of obj) {
        const val = walk(e, `${p}.values()[${i++}]`);
        changed ||= val !== e;
        out.add(val);
      }
      if (!changed) seen.set(obj, obj);
      return changed ? out : obj;
    }
    if (!isPlainObject(obj)) {
      const name = obj.constructor?.name ?? 'object';
      fail(
        p,
        `it is a ${name} instance (only plain objects, arrays, Maps, Sets, built-in data and threadkit shared objects cross)`,
      );
    }
    const out: Record<string, unknown> = {};
    seen.set(obj, out);
    let changed = false;
    for (const key of Object.keys(obj)) {
      const e = (obj as Record<string, unknown>)[key];
      const val = walk(
        e,
        /^[A-Za-z_$][\w$]*$/.test(key) ? `${p}.${key}` : `${p}[${JSON.stringify(key)}]`,
      );
      changed ||= val !== e;
      out[key] = val;
    }
    if (!changed) seen.set(obj, obj);
    return changed ? out : obj;
  };
  try {
    return walk(value, path);
  } catch (err) {
    for (const ref of taken) releaseRef(ref);
    throw err;
  }
}

/** Drop the counts held by an encoded value that will never be revived. */
export function discardEncoded(value: unknown): void {
  forEachDescriptor(value, (d) => {
    if (d.ref !== undefined) releaseRef(d.ref);
  });
}

function forEachDescriptor(value: unknown, fn: (d: SharedDescriptor) => void): void {
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object' || seen.has(v) || isCloneableLeaf(v)) return;
    seen.add(v);
    if (Array.isArray(v)) for (const e of v) walk(e);
    else if (v instanceof Map) {
      for (const [k, e] of v) {
        walk(k);
        walk(e);
      }
    } else if (v instanceof Set) for (const e of v) walk(e);
    else {
      const rec = v as Record<string, unknown>;
      if (MARK in rec && Object.keys(rec).length === 1) fn(rec[MARK] as SharedDescriptor);
      else for (const key of Object.keys(rec)) walk(rec[key]);
    }
  };
  walk(value);
}

/**
 * Undo {@link encodeShared} after the value crossed: placeholders become live objects.
 * `consume` (the default) moves the copy's counts into this thread: decode each copy once.
 */
export function decodeShared(value: unknown, consume = true): unknown {
  const seen = new Set<object>();
  // One placeholder reached twice (structured clone keeps it one object) is one count.
  const revived = new Map<object, object>();
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return v;
    if (isCloneableLeaf(v)) return v;
    if (Array.isArray(v)) {
      seen.add(v);
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i]);
      return v;
    }
    if (v instanceof Map) {
      seen.add(v);
      const entries = [...v.entries()];
      v.clear();
      for (const [k, e] of entries) v.set(walk(k), walk(e));
      return v;
    }
    if (v instanceof Set) {
      seen.add(v);
      const items = [...v];
      v.clear();
      for (const e of items) v.add(walk(e));
      return v;
    }
    const rec = v as Record<string, unknown>;
    if (MARK in rec && Object.keys(rec).length === 1) {
      let obj = revived.get(rec);
      if (!obj) {
        obj = reviveShared(rec[MARK] as SharedDescriptor, consume);
        revived.set(rec, obj);
      }
      return obj;
    }
    seen.add(v);
    for (const key of Object.keys(rec)) rec[key] = walk(rec[key]);
    return v;
  };
  return walk(value);
}
