/**
 * `threading.Thread` on worker_threads. The Thread object is a handle on a record in the
 * arena (state, ident, native id, name, daemon flag), so every thread sees the same thread
 * the same way, `join()` works from any thread (including a blocked main thread), and a
 * Thread passed to another thread arrives as a handle to the same thread.
 */

import { enterBlocked, leaveBlocked, THREAD_JOIN } from '../diagnostics/blocked.js';
import { RuntimeError } from '../errors.js';
import { futexWait } from '../parking/futex.js';
import { attach, takeAttached } from '../shared/attach.js';
import { handleFor, track } from '../shared/lifetime.js';
import {
  encodeShared,
  registerSharedType,
  SHARED,
  type SharedDescriptor,
} from '../shared/protocol.js';
import { moduleBeingImported } from '../targets/load-module.js';
import { targetOptions } from '../targets/options.js';
import { encodeFunction, encodeInstance, type TargetSpec, targetName } from '../targets/target.js';
import { waitDeadline } from '../timeout.js';
import { nextIdent, nextThreadNumber } from './counters.js';
import type { ThreadJob } from './job.js';
import { waitUntilStopped, waitUntilStoppedAsync } from './liveness.js';
import {
  ALIVE,
  F_DAEMON,
  F_DUMMY,
  F_FINALIZING,
  F_MAIN,
  INITIAL,
  newRecord,
  RECORD,
  readName,
  recordRef,
  recWord,
  releaseRecord,
  retainRecord,
  STOPPED,
  setRecWord,
  writeName,
} from './record.js';
import { currentRecord, endRecord, mainRecord, register } from './registry.js';
import { dispatch } from './workers.js';

/** Options of `new Thread({...})` (Python's keyword arguments). */
export interface ThreadOptions {
  /** The function to run: inline (self-contained), or made with `threadable()`. */
  target?: ((...args: any[]) => unknown) | null;
  /** Positional arguments for the target (structured-cloneable or shared objects). */
  args?: readonly unknown[];
  /** Keyword arguments, passed to the target as a final argument when given. */
  kwargs?: Record<string, unknown> | null;
  /** The thread's name (default `Thread-N` or `Thread-N (target)`). */
  name?: string | null;
  /** Daemon flag (default: inherited from the creating thread). */
  daemon?: boolean | null;
}

/** Internal state of a Thread object, under a symbol so subclass fields stay the user's. */
export interface ThreadInternals {
  rec: number;
  target: ((...args: any[]) => unknown) | null;
  args: readonly unknown[];
  kwargs: Record<string, unknown> | null;
  /** Subclass-supplied job data (Timer); see {@link Thread._builtinJob}. */
  handle: boolean;
}

export const INTERNALS = Symbol.for('threadkit.thread');

function counterName(suffix: string | null): string {
  const n = nextThreadNumber();
  return suffix ? `Thread-${n} (${suffix})` : `Thread-${n}`;
}

function internals(t: Thread): ThreadInternals {
  const k = (t as any)[INTERNALS] as ThreadInternals | undefined;
  if (!k) throw new RuntimeError('thread.__init__() not called');
  return k;
}

function bindHandle(obj: object, rec: number): void {
  Object.defineProperty(obj, INTERNALS, {
    value: { rec, target: null, args: [], kwargs: null, handle: true } satisfies ThreadInternals,
    enumerable: false,
    configurable: true,
    writable: true,
  });
}

/**
 * Attach a rebuilt Thread subclass instance to an existing, alive record (the caller holds a
 * count on it): the instance becomes this thread's handle for it, with a count of its own.
 */
export function adoptRecord(obj: object, rec: number): void {
  bindHandle(obj, rec);
  retainRecord(rec);
  track(obj, recordRef(rec));
}

/**
 * The Thread object for `rec` in this thread: the one it has (the Thread made here, or a
 * handle), else a new handle with a count of its own. The caller keeps `rec` alive meanwhile.
 */
export function threadForRecord(rec: number): Thread {
  const ref = recordRef(rec);
  const obj = handleFor(ref);
  if (obj) return obj as Thread;
  retainRecord(rec);
  const handle = attach(rec, () => new Thread());
  track(handle, ref);
  return handle;
}

/**
 * A thread of control (Python's `threading.Thread`), run in a worker thread.
 *
 * ```ts
 * const t = new Thread({ target: (n) => console.log(n * 2), args: [21] });
 * t.start();
 * t.join();
 * ```
 * Subclasses may override `run()`; export the class and add `static module = import.meta.url`
 * so the worker can rebuild it (fields are copied; shared objects by reference).
 */
export class Thread {
  /** @internal Per-instance state, read through `internals(t)`. */
  declare [INTERNALS]: ThreadInternals;

  constructor(options: ThreadOptions = {}) {
    const rec = takeAttached<number>();
    if (rec !== undefined) {
      bindHandle(this, rec); // a handle; whoever attached it gives it its count
      return;
    }
    const { target, args, kwargs, name, daemon } = targetOptions(options, 'Thread');
    const newRec = newRecord();
    writeName(
      newRec,
      name != null && name !== '' ? String(name) : counterName(target ? targetLabel(target) : null),
    );
    const inherit = (recWord(currentRecord(), RECORD.flags) & F_DAEMON) !== 0;
    setRecWord(newRec, RECORD.flags, (daemon ?? inherit) ? F_DAEMON : 0);
    Object.defineProperty(this, INTERNALS, {
      value: { rec: newRec, target, args, kwargs, handle: false } satisfies ThreadInternals,
      enumerable: false,
      configurable: true,
      writable: true,
    });
    // The record's first count is this object's; indexed now so enumerate() finds this object.
    track(this, recordRef(newRec));
  }

  /** The thread's name; may be changed at any time, from any thread. */
  get name(): string {
    return readName(internals(this).rec);
  }

  /** Rename the thread (the value goes through `String()`; every thread sees the new name). */
  set name(value: string) {
    writeName(internals(this).rec, String(value));
  }

  /** The thread identifier (non-zero), or null before `start()`. Kept after the thread ends. */
  get ident(): number | null {
    const id = recWord(internals(this).rec, RECORD.ident);
    return id === 0 ? null : id;
  }

  /**
   * The OS thread id (Linux TID) of the thread, or null before `start()`. Right after
   * `start()` this waits (briefly) for the worker to report it.
   */
  get nativeId(): number | null {
    const rec = internals(this).rec;
    if (recWord(rec, RECORD.ident) === 0) return null;
    while (recWord(rec, RECORD.nativeId) === 0 && recWord(rec, RECORD.state) === ALIVE) {
      futexWait(rec + RECORD.nativeId, 0, performance.now() + 50);
    }
    const id = recWord(rec, RECORD.nativeId);
    return id === 0 ? null : id;
  }

  /** Whether this is a daemon thread. Settable only before `start()`. */
  get daemon(): boolean {
    return (recWord(internals(this).rec, RECORD.flags) & F_DAEMON) !== 0;
  }

  /** Set before `start()`; RuntimeError once the thread is alive. */
  set daemon(value: boolean) {
    const rec = internals(this).rec;
    if (recWord(rec, RECORD.state) !== INITIAL || internals(this).handle) {
      throw new RuntimeError('cannot set daemon status of active thread');
    }
    const flags = recWord(rec, RECORD.flags);
    setRecWord(rec, RECORD.flags, value ? flags | F_DAEMON : flags & ~F_DAEMON);
  }

  /** Whether the thread is running (from `start()` until its target has returned). */
  isAlive(): boolean {
    return recWord(internals(this).rec, RECORD.state) === ALIVE;
  }

  /**
   * Start the thread in a worker. Throws `RuntimeError('threads can only be started once')`
   * on a second call, and a `DataCloneError` naming the path (`args[1]`) for arguments that
   * cannot cross to another thread.
   */
  start(): void {
    const k = internals(this);
    if (k.handle || recWord(k.rec, RECORD.state) !== INITIAL) {
      throw new RuntimeError('threads can only be started once');
    }
    const importing = moduleBeingImported();
    if (importing) {
      throw new RuntimeError(
        `a thread was started while ${importing} was being imported to run one of its targets in a ` +
          'worker: its top-level code runs again in every such thread. Guard the code that starts ' +
          "threads with `if (isMainThread)` (from 'node:worker_threads'), or move the targets to their own module",
      );
    }
    // As Python at interpreter shutdown: past the exit-time join, nothing would run it.
    const main = mainRecord(); // 0 when only workers imported threadkit
    if (main !== 0 && recWord(main, RECORD.flags) & F_FINALIZING) {
      throw new RuntimeError("can't create new thread at interpreter shutdown");
    }
    const job = this.#job();
    setRecWord(k.rec, RECORD.ident, nextIdent());
    setRecWord(k.rec, RECORD.state, ALIVE);
    retainRecord(k.rec); // the running count: the registry's, until the thread ends
    try {
      register(k.rec);
    } catch (err) {
      setRecWord(k.rec, RECORD.state, STOPPED);
      releaseRecord(k.rec);
      throw err;
    }
    try {
      dispatch(job);
    } catch (err) {
      endRecord(k.rec);
      throw err;
    }
    // As Python: the thread object no longer holds its target and arguments once started.
    k.target = null;
    k.args = [];
    k.kwargs = null;
  }

  #job(): ThreadJob {
    const k = internals(this);
    const builtin = this._builtinJob();
    if (builtin) return { rec: k.rec, spec: null, args: [], hasKwargs: false, builtin };
    if (this.run !== Thread.prototype.run) {
      const fields = { ...this } as Record<string, unknown>;
      return { rec: k.rec, spec: encodeInstance(this, fields, 'run'), args: [], hasKwargs: false };
    }
    const spec: TargetSpec | null = k.target ? encodeFunction(k.target, 'target') : null;
    return {
      rec: k.rec,
      spec,
      args: encodeShared(k.args, 'args'),
      kwargs: k.kwargs != null ? encodeShared(k.kwargs, 'kwargs') : undefined,
      hasKwargs: k.kwargs != null,
    };
  }

  /** @internal Builtin subclasses (Timer) describe their own job here. */
  _builtinJob(): { kind: string; data: unknown } | null {
    return null;
  }

  /**
   * The thread's activity. The default calls the target with the arguments (and kwargs as a
   * final argument). Override it in a subclass; it runs in the worker.
   */
  run(): unknown {
    const k = internals(this);
    if (k.target == null) return undefined;
    return k.kwargs != null ? k.target(...k.args, k.kwargs) : k.target(...k.args);
  }

  #checkJoinable(): number {
    const k = internals(this);
    const rec = k.rec;
    const flags = recWord(rec, RECORD.flags);
    if (flags & F_DUMMY) throw new RuntimeError('cannot join a dummy thread');
    if (recWord(rec, RECORD.state) === INITIAL)
      throw new RuntimeError('cannot join thread before it is started');
    if (rec === currentRecord()) throw new RuntimeError('cannot join current thread');
    return rec;
  }

  /**
   * Wait until the thread ends, blocking the calling thread, or until `timeout` seconds
   * (negative = 0). Returns nothing: check `isAlive()` after a timeout, as in Python.
   */
  join(timeout?: number | null): void {
    const rec = this.#checkJoinable();
    const deadline = waitDeadline(timeout);
    if (recWord(rec, RECORD.state) !== ALIVE) return;
    enterBlocked(THREAD_JOIN, rec, deadline !== Number.POSITIVE_INFINITY);
    try {
      waitUntilStopped(rec, deadline);
    } finally {
      leaveBlocked();
    }
  }

  /** Async twin of {@link join}: resolves when the thread ends or the timeout passes. */
  joinAsync(timeout?: number | null, options?: { signal?: AbortSignal }): Promise<void> {
    try {
      return waitUntilStoppedAsync(this.#checkJoinable(), waitDeadline(timeout), options?.signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** @internal The shared-object description: a handle on the same record. */
  [SHARED](): SharedDescriptor {
    return { type: 'Thread', words: [internals(this).rec] };
  }

  /** Python's repr: `<Thread(name, started daemon 123)>`. */
  toString(): string {
    const rec = internals(this).rec;
    const state = recWord(rec, RECORD.state);
    let status = state === INITIAL ? 'initial' : state === ALIVE ? 'started' : 'stopped';
    if (this.daemon) status += ' daemon';
    if (this.ident !== null) status += ` ${this.ident}`;
    const flags = recWord(rec, RECORD.flags);
    const cls =
      flags & F_MAIN ? '_MainThread' : flags & F_DUMMY ? '_DummyThread' : this.constructor.name;
    return `<${cls}(${this.name}, ${status})>`;
  }

  /** Handles from other threads compare by ident (`a.equals(b)`). */
  equals(other: unknown): boolean {
    return other instanceof Thread && internals(other).rec === internals(this).rec;
  }
}

function targetLabel(target: Function): string {
  return target.name || '<lambda>';
}

/**
 * End an alive thread's record (the worker's side of join), once: it leaves the registry and
 * gives back its running count. Package-internal (not in index.ts).
 */
export function finishRecord(rec: number): boolean {
  return endRecord(rec);
}

/** For `@threadkit/core/internal` only. */
export { targetName };

// The protocol gives a revived handle its count and enters it in the identity cache.
registerSharedType('Thread', (d) => attach(d.words[0], () => new Thread()));
