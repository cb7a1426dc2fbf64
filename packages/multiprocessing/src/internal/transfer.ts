/**
 * What may cross to another process, and how descriptors travel with it.
 *
 * Only data and *process-shared* objects (Connection, the process queues, manager proxies)
 * cross to a child process; threadkit's thread primitives live in one process's memory and
 * are rejected with the path of the offending value. Process-shared objects carry file
 * descriptors: while a child's arguments are encoded, an {@link FdContext} collects them and
 * maps each to the number it will have in the child (`stdio` entries of the fork).
 */
import { DataCloneError } from '@threadkit/core';
import { isShared, stateSlot } from '@threadkit/core/internal';

/** Marks classes whose instances may cross to another process (their `[SHARED]` maps fds). */
export const PROCESS_SHARED = Symbol.for('threadkit.mp.processShared');

/** How a child opens a passed descriptor again (warm start): read end, write end, or both. */
export type FdMode = 'r' | 'w' | 'rw';

/**
 * Collects the descriptors a child must receive. In an encoded object a passed descriptor is
 * written as an index into the child's table (encoded as `-(index + 2)`, since -1 means "no
 * descriptor"); the child fills the table in — with the numbers its `stdio` gave them, or
 * with descriptors it opened itself — before it rebuilds its arguments.
 */
export class FdContext {
  /** Parent descriptors, in table order. */
  readonly fds: number[] = [];
  /** How each is used. */
  readonly modes: FdMode[] = [];

  /** The encoded stand-in for parent descriptor `fd`. */
  map(fd: number, mode: FdMode): number {
    let i = this.fds.indexOf(fd);
    if (i < 0) {
      i = this.fds.push(fd) - 1;
      this.modes.push(mode);
    } else if (this.modes[i] !== mode) {
      this.modes[i] = 'rw';
    }
    return -(i + 2);
  }
}

const slot = stateSlot('mp.fdContext', () => ({
  ctx: null as FdContext | null,
  table: null as number[] | null,
}));

/** Run `fn` with `ctx` collecting descriptors of process-shared objects it encodes. */
export function withFdContext<T>(ctx: FdContext, fn: () => T): T {
  const prev = slot.ctx;
  slot.ctx = ctx;
  try {
    return fn();
  } finally {
    slot.ctx = prev;
  }
}

/** A descriptor as it must appear in an encoded object: an index for a child, itself for a thread. */
export function mapFd(fd: number, mode: FdMode): number {
  return slot.ctx && fd >= 0 ? slot.ctx.map(fd, mode) : fd;
}

/** In a child: run `fn` (which rebuilds the arguments) with the table of received descriptors. */
export function withFdTable<T>(table: number[], fn: () => T): T {
  const prev = slot.table;
  slot.table = table;
  try {
    return fn();
  } finally {
    slot.table = prev;
  }
}

/** Async twin of {@link withFdTable}, for a rebuild that imports a module first. */
export async function withFdTableAsync<T>(table: number[], fn: () => Promise<T>): Promise<T> {
  const prev = slot.table;
  slot.table = table;
  try {
    return await fn();
  } finally {
    slot.table = prev;
  }
}

/** A descriptor from an encoded object: a table index is looked up, a plain number kept. */
export function fdOf(n: number): number {
  if (n >= -1) return n;
  const table = slot.table;
  const fd = table?.[-n - 2];
  if (fd === undefined)
    throw new TypeError('a passed descriptor arrived outside its Process arguments');
  return fd;
}

function fail(path: string, what: string): never {
  throw new DataCloneError(`${path} cannot be sent to another process: ${what}`);
}

function isLeaf(v: object): boolean {
  return (
    v instanceof Date ||
    v instanceof RegExp ||
    ArrayBuffer.isView(v) ||
    v instanceof ArrayBuffer ||
    v instanceof Error ||
    v instanceof Boolean ||
    v instanceof Number ||
    v instanceof String
  );
}

/** A display name for a shared object (manager proxies name their type themselves). */
function sharedName(v: object): string {
  const own = (v as any)[SHARED_NAME];
  if (typeof own === 'string') return own;
  return (v as { constructor?: { name?: string } }).constructor?.name ?? 'object';
}

/** Optional display name of a shared object, for error messages. */
export const SHARED_NAME = Symbol.for('threadkit.mp.sharedName');

function key(p: string, k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `${p}.${k}` : `${p}[${JSON.stringify(k)}]`;
}

/**
 * Reject what cannot reach another process, naming its path (`args[1].handler`): functions,
 * symbols, class instances, SharedArrayBuffers, thread-only shared objects, and — unless
 * `allowProcessShared` (a child's arguments) — every shared object, since descriptors can be
 * handed over only when a process starts (as Python allows queues only "through inheritance").
 */
export function checkCrossProcess(value: unknown, path: string, allowProcessShared: boolean): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function') {
      fail(path, `it is a function (${value.name || 'anonymous'}); pass data, or make it a target`);
    }
    if (typeof value === 'symbol') fail(path, 'it is a symbol');
    return;
  }
  const seen = new Set<object>();
  const walk = (v: unknown, p: string): void => {
    if (v === null) return;
    if (isShared(v)) {
      const name = sharedName(v);
      if (!(v as any)[PROCESS_SHARED]) {
        fail(
          p,
          `it is a ${name}, which is shared between the threads of one process only ` +
            '(between processes use a Manager proxy, a multiprocessing Queue or a Pipe)',
        );
      }
      if (!allowProcessShared) {
        fail(
          p,
          `it is a ${name}; such objects reach a child process only in its Process arguments`,
        );
      }
      return;
    }
    if (typeof v === 'function') {
      fail(p, `it is a function (${v.name || 'anonymous'}); pass data, or make it a target`);
    }
    if (typeof v === 'symbol') fail(p, 'it is a symbol');
    if (typeof v !== 'object') return;
    if (seen.has(v)) return;
    seen.add(v);
    if (v instanceof SharedArrayBuffer)
      fail(p, 'a SharedArrayBuffer is not shared between processes');
    if (isLeaf(v)) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], `${p}[${i}]`);
      return;
    }
    if (v instanceof Map) {
      for (const [k, e] of v) {
        walk(k, `${p}.keys()`);
        walk(e, `${p}.get(${typeof k === 'string' ? JSON.stringify(k) : String(k)})`);
      }
      return;
    }
    if (v instanceof Set) {
      let i = 0;
      for (const e of v) walk(e, `${p}.values()[${i++}]`);
      return;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) {
      fail(
        p,
        `it is a ${v.constructor?.name ?? 'object'} instance (only plain objects, arrays, Maps, Sets and built-in data cross)`,
      );
    }
    for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], key(p, k));
  };
  walk(value, path);
}
