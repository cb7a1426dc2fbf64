/**
 * Main-side preparation of a task: the callable as a target spec (the three forms of
 * docs/CONTRACT.md §2, via core's `encodeFunction`/`encodeInstance`), its arguments checked for the
 * trip (threads: shared objects by reference; processes: plain data only), and the error
 * classes that errors coming back are rebuilt as.
 */
import * as core from '@threadkit/core';
import { DataCloneError } from '@threadkit/core';
import {
  encodeFunction,
  encodeInstance,
  encodeShared,
  isShared,
  type TargetSpec,
} from '@threadkit/core/internal';
import type { ErrorClasses } from './wire.js';

const specs = new WeakMap<Function, TargetSpec>();

/**
 * The spec of a task's callable: an inline function, a `threadable()` module function, or an
 * instance of an exported class (with `static module = import.meta.url`) whose `run(...args)`
 * is called. Function specs are cached: submitting the same function again costs nothing.
 */
export function targetSpec(fn: unknown, what = 'fn'): TargetSpec {
  if (typeof fn === 'function') {
    let spec = specs.get(fn);
    if (!spec) {
      spec = encodeFunction(fn, what);
      specs.set(fn, spec);
    }
    return spec;
  }
  if (
    fn !== null &&
    typeof fn === 'object' &&
    typeof (fn as { run?: unknown }).run === 'function'
  ) {
    return encodeInstance(fn, { ...(fn as Record<string, unknown>) }, 'run', what);
  }
  throw new TypeError(
    `${what} must be a function, or an instance of an exported class with a run() method, not ${fn === null ? 'null' : typeof fn}`,
  );
}

/** Whether `value` is data that crosses as it is (no walk needed). */
export function isPrimitive(value: unknown): boolean {
  const t = typeof value;
  return value === null || (t !== 'object' && t !== 'function' && t !== 'symbol');
}

/** Whether every item of `values` crosses as it is. */
export function allPrimitive(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) if (!isPrimitive(values[i])) return false;
  return true;
}

/** Arguments for a pool thread: checked (path errors) and shared objects made portable. */
export function threadArgs(args: unknown, path = 'args'): unknown {
  // The common case of a few numbers or strings skips the walk (it is the per-task cost).
  return Array.isArray(args) && allPrimitive(args) ? args : encodeShared(args, path);
}

/** The path of the first threadkit shared object inside `value`, if any. */
function findShared(value: unknown, path: string, seen = new Set<object>()): string | null {
  if (value === null || typeof value !== 'object') return null;
  if (isShared(value)) return path;
  if (seen.has(value)) return null;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findShared(value[i], `${path}[${i}]`, seen);
      if (p) return p;
    }
  } else if (value instanceof Map) {
    for (const [k, v] of value) {
      const p =
        findShared(k, `${path}.keys()`, seen) ?? findShared(v, `${path}.get(${String(k)})`, seen);
      if (p) return p;
    }
  } else if (value instanceof Set) {
    let i = 0;
    for (const v of value) {
      const p = findShared(v, `${path}.values()[${i++}]`, seen);
      if (p) return p;
    }
  } else if (
    Object.getPrototypeOf(value) === Object.prototype ||
    Object.getPrototypeOf(value) === null
  ) {
    for (const key of Object.keys(value)) {
      const p = findShared((value as Record<string, unknown>)[key], `${path}.${key}`, seen);
      if (p) return p;
    }
  }
  return null;
}

/**
 * Arguments for a pool process: plain data only. Functions and class instances are refused
 * with their path (as for threads); so are threadkit shared objects, which live in this
 * process's memory (CPython likewise refuses to pickle a Lock for a process pool).
 */
export function processArgs(args: unknown, path = 'args'): unknown {
  if (Array.isArray(args) && allPrimitive(args)) return args;
  encodeShared(args, path, false); // only checks: nothing is sent, so no counts taken
  const where = findShared(args, path);
  if (where) {
    throw new DataCloneError(
      `${where} cannot be sent to another process: threadkit shared objects (locks, queues, events…) ` +
        `live in this process's memory; use a thread pool, or @threadkit/multiprocessing's queues and managers`,
    );
  }
  return args;
}

/** Error classes rebuilt by name when an error comes back from a worker. */
export const ERROR_CLASSES: ErrorClasses = (() => {
  const classes: ErrorClasses = {
    Error,
    TypeError,
    RangeError,
    ReferenceError,
    SyntaxError,
    EvalError,
    URIError,
  };
  for (const [name, value] of Object.entries(core)) {
    if (typeof value === 'function' && value.prototype instanceof Error) {
      classes[name] = value as unknown as new (message?: string) => Error;
    }
  }
  return classes;
})();
