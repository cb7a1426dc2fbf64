/**
 * `multiprocessing.Process` over child processes. A Process object is a handle on a record in
 * the arena (process.ts ↔ record.ts), so any thread of this process can `join()` it, ask
 * `isAlive()`, or find it in `activeChildren()`, and a blocked main thread still learns the
 * exit status. The three target forms of threads apply (docs/CONTRACT.md §2).
 */
import { inspect } from 'node:util';
import { RuntimeError, ValueError } from '@threadkit/core';
import {
  attach,
  encodeFunction,
  encodeInstance,
  encodeShared,
  handleFor,
  registerSharedType,
  SHARED,
  type SharedDescriptor,
  type TargetSpec,
  takeAttached,
  targetOptions,
  timeouts,
  track,
} from '@threadkit/core/internal';
import { AssertionError } from '../errors.js';
import { checkCrossProcess, FdContext, withFdContext } from '../internal/transfer.js';
import { exitCodeName, procStat } from '../os/proc.js';
import type { ProcessJob } from './job.js';
import {
  bootstrapping,
  F_CLOSED,
  F_DAEMON,
  F_MAIN,
  F_PARENT,
  F_SELF,
  hasFlag,
  INITIAL,
  identity,
  newRecord,
  nextOrdinal,
  PROC_RECORD,
  pollChild,
  readName,
  recordRef,
  retainRecord,
  STARTED,
  STOPPED,
  selfRecord,
  setFlag,
  word,
  writeName,
} from './record.js';
import { ensureSpare, startWarm } from './spare.js';
import { spawnChild } from './spawn.js';
import { getStartMethod } from './start-method.js';
import { waitStopped, waitStoppedAsync } from './wait.js';

/** Options of `new Process({...})` (Python's keyword arguments). */
export interface ProcessOptions {
  /** The function to run in the child: inline (self-contained), or made with `threadable()`. */
  target?: ((...args: any[]) => unknown) | null;
  /** Positional arguments: structured-cloneable data, Connections, process queues, manager proxies. */
  args?: readonly unknown[];
  /** Keyword arguments, passed to the target as a final argument when given. */
  kwargs?: Record<string, unknown> | null;
  /** The process's name (default `Process-N`, `Process-N:M` in a child). */
  name?: string | null;
  /** Daemon flag: daemon children are terminated when their parent exits. */
  daemon?: boolean | null;
}

interface Internals {
  rec: number;
  target: ((...args: any[]) => unknown) | null;
  args: readonly unknown[];
  kwargs: Record<string, unknown> | null;
  /** A handle on a record created elsewhere (another thread, the current or parent process). */
  handle: boolean;
  /** Python's `_identity` of the child-to-be, joined with ':'. */
  ident: string;
}

const INTERNALS = Symbol.for('threadkit.mp.process');
function internals(p: Process): Internals {
  const k = (p as any)[INTERNALS] as Internals | undefined;
  if (!k) throw new RuntimeError('Process.__init__() not called');
  return k;
}

function bindHandle(obj: object, rec: number): void {
  Object.defineProperty(obj, INTERNALS, {
    value: {
      rec,
      target: null,
      args: [],
      kwargs: null,
      handle: true,
      ident: '',
    } satisfies Internals,
    enumerable: false,
    configurable: true,
    writable: true,
  });
}

/**
 * Attach a rebuilt Process subclass instance to an existing, alive record: it becomes this
 * thread's handle, with a count of its own. Package-internal (not in index.ts).
 */
export function adoptRecord(obj: object, rec: number): void {
  bindHandle(obj, rec);
  retainRecord(rec);
  track(obj, recordRef(rec));
}

/**
 * The Process object for `rec` in this thread (the one made here, or a handle), else a new
 * handle with a count of its own; the caller keeps `rec` alive meanwhile. Package-internal.
 */
export function processForRecord(rec: number): Process {
  const obj = handleFor(recordRef(rec));
  if (obj) return obj as Process;
  retainRecord(rec);
  const handle = attach(rec, () => new Process());
  track(handle, recordRef(rec));
  return handle;
}

/** The record behind a Process object. Package-internal (not in index.ts). */
export function recordOf(p: Process): number {
  return internals(p).rec;
}

/**
 * A process (Python's `multiprocessing.Process`), run as a child `node` process.
 *
 * ```ts
 * const p = new Process({ target: (n) => console.log(n * 2), args: [21] });
 * p.start();
 * p.join();
 * p.exitcode; // 0
 * ```
 * Subclasses may override `run()`: export the class and add `static module = import.meta.url`
 * so the child can rebuild it (its fields are copied; the constructor does not run again).
 */
export class Process {
  /** @internal Per-instance state, read through `internals(p)`. */
  declare [INTERNALS]: Internals;

  constructor(options: ProcessOptions = {}) {
    const rec = takeAttached<number>();
    if (rec !== undefined) {
      bindHandle(this, rec); // a handle; whoever attached it gives it its count
      return;
    }
    const { target, args, kwargs, name, daemon } = targetOptions(options, 'Process');
    const fresh = newRecord();
    const ordinal = nextOrdinal();
    const parentId = identity();
    writeName(
      fresh,
      name != null && name !== ''
        ? String(name)
        : `Process-${parentId ? `${parentId}:` : ''}${ordinal}`,
    );
    const inherit = hasFlag(selfRecord(), F_DAEMON);
    setFlag(fresh, F_DAEMON, daemon ?? inherit);
    Object.defineProperty(this, INTERNALS, {
      value: {
        rec: fresh,
        target,
        args,
        kwargs,
        handle: false,
        ident: parentId ? `${parentId}:${ordinal}` : String(ordinal),
      } satisfies Internals,
      enumerable: false,
      configurable: true,
      writable: true,
    });
    // The record's first count is this object's; indexed now so activeChildren() finds it.
    track(this, recordRef(fresh));
  }

  /** The process's name (`Process-N` by default; `MainProcess` for the main process). */
  get name(): string {
    return readName(internals(this).rec);
  }

  /** Rename the process (a string; AssertionError otherwise). */
  set name(value: string) {
    if (typeof value !== 'string') throw new AssertionError('name must be a string');
    writeName(internals(this).rec, value);
  }

  /** Whether this is a daemon process. Settable only before `start()`. */
  get daemon(): boolean {
    return hasFlag(internals(this).rec, F_DAEMON);
  }

  /** Set before `start()` only (AssertionError afterwards, as Python's assert). */
  set daemon(value: boolean) {
    const k = internals(this);
    if (k.handle || word(k.rec, PROC_RECORD.state) !== INITIAL)
      throw new AssertionError('process has already started');
    setFlag(k.rec, F_DAEMON, Boolean(value));
  }

  /** The OS process id, or null before `start()`. */
  get pid(): number | null {
    const rec = checkClosed(this);
    if (hasFlag(rec, F_SELF)) return process.pid;
    const pid = word(rec, PROC_RECORD.pid);
    return pid === 0 ? null : pid;
  }

  /** Alias of {@link pid} (Python's `ident`). */
  get ident(): number | null {
    return this.pid;
  }

  /**
   * The exit code: null before start and while running; 0, or the code given to
   * `process.exit()`, or 1 after an uncaught error; minus the signal number if killed.
   */
  get exitcode(): number | null {
    const rec = internals(this).rec;
    if (hasFlag(rec, F_SELF | F_PARENT | F_CLOSED) || word(rec, PROC_RECORD.state) === INITIAL)
      return null;
    if (!pollChild(rec)) return null;
    return word(rec, PROC_RECORD.exitcode);
  }

  /**
   * Start the child process. Throws `AssertionError('cannot start a process twice')` on a
   * second call, and a `DataCloneError` naming the path (`args[1]`) for arguments that cannot
   * reach another process.
   */
  start(): void {
    const rec = checkClosed(this);
    const k = internals(this);
    if (k.handle || word(rec, PROC_RECORD.state) !== INITIAL)
      throw new AssertionError('cannot start a process twice');
    if (hasFlag(selfRecord(), F_DAEMON)) {
      throw new AssertionError('daemonic processes are not allowed to have children');
    }
    if (bootstrapping()) {
      // Python's _check_not_importing_main(): the module of this child's target starts
      // processes at import, which would start them again in every child, endlessly.
      throw new RuntimeError(
        'An attempt has been made to start a new process before the current process has ' +
          'finished its bootstrapping phase. This probably means that the module of a target ' +
          'starts processes when it is imported (in every child that imports it). Guard that ' +
          'code, the port of `if __name__ == "__main__":` — e.g. ' +
          '`if (import.meta.url === pathToFileURL(process.argv[1]).href) { … }`.',
      );
    }
    const ctx = new FdContext();
    const job = withFdContext(ctx, () => buildJob(this));
    if (getStartMethod() === 'forkserver') {
      if (!startWarm(rec, job, ctx)) spawnChild(rec, job, ctx.fds);
      ensureSpare();
    } else {
      spawnChild(rec, job, ctx.fds);
    }
    // As Python: the process object no longer holds its target and arguments once started.
    k.target = null;
    k.args = [];
    k.kwargs = null;
  }

  /**
   * The process's activity, run in the child. The default calls the target with the arguments
   * (and kwargs as a final argument). Override it in a subclass.
   */
  run(): unknown {
    const k = internals(this);
    if (k.target == null) return undefined;
    return k.kwargs != null ? k.target(...k.args, k.kwargs) : k.target(...k.args);
  }

  /**
   * Wait until the process ends, blocking the calling thread (the main thread too), or until
   * `timeout` seconds pass. Returns nothing: check `exitcode` or `isAlive()` after a timeout.
   */
  join(timeout?: number | null): void {
    const rec = checkJoinable(this);
    const deadline = timeouts.waitDeadline(timeout);
    if (hasFlag(rec, F_PARENT)) waitParent(rec, deadline);
    else waitStopped(rec, deadline);
  }

  /** Async twin of {@link join}: resolves when the process ends or the timeout passes. */
  async joinAsync(timeout?: number | null, options?: { signal?: AbortSignal }): Promise<void> {
    const rec = checkJoinable(this);
    const deadline = timeouts.waitDeadline(timeout);
    if (hasFlag(rec, F_PARENT)) {
      while (parentAlive(rec) && performance.now() < deadline) {
        await new Promise((r) => setTimeout(r, 10));
        options?.signal?.throwIfAborted();
      }
      return;
    }
    await waitStoppedAsync(rec, deadline, options?.signal);
  }

  /** Whether the process is running (from `start()` until it has ended). */
  isAlive(): boolean {
    const rec = checkClosed(this);
    if (hasFlag(rec, F_SELF)) return true;
    if (hasFlag(rec, F_PARENT)) return parentAlive(rec);
    if (word(rec, PROC_RECORD.state) === INITIAL) return false;
    return !pollChild(rec);
  }

  /** End the process with SIGTERM (Python's `terminate()`); `exitcode` becomes -15. */
  terminate(): void {
    signalProcess(this, 'SIGTERM');
  }

  /** End the process with SIGKILL; `exitcode` becomes -9. */
  kill(): void {
    signalProcess(this, 'SIGKILL');
  }

  /**
   * Release the process object. Throws ValueError if the process is still running; most
   * methods then throw `ValueError('process object is closed')`.
   */
  close(): void {
    const rec = internals(this).rec;
    if (hasFlag(rec, F_CLOSED)) return;
    if (
      word(rec, PROC_RECORD.state) === STARTED &&
      !hasFlag(rec, F_SELF | F_PARENT) &&
      !pollChild(rec)
    ) {
      throw new ValueError(
        'Cannot close a process while it is still running. You should first call join() or terminate().',
      );
    }
    setFlag(rec, F_CLOSED, true);
  }

  /** @internal The shared-object description: a handle on the same record (threads only). */
  [SHARED](): SharedDescriptor {
    return { type: 'mp.Process', words: [internals(this).rec] };
  }

  /** Python's repr: `<Process name='Process-1' pid=123 parent=100 stopped exitcode=0>`. */
  toString(): string {
    const rec = internals(this).rec;
    const flags = word(rec, PROC_RECORD.flags);
    let status: string;
    let code: number | null = null;
    if (flags & F_SELF) status = 'started';
    else if (flags & F_CLOSED) status = 'closed';
    else if (flags & F_PARENT) status = 'unknown';
    else if (word(rec, PROC_RECORD.state) === INITIAL) status = 'initial';
    else {
      code = this.exitcode;
      status = code !== null ? 'stopped' : 'started';
    }
    const cls =
      flags & F_MAIN ? '_MainProcess' : flags & F_PARENT ? '_ParentProcess' : this.constructor.name;
    const info = [cls, `name='${readName(rec)}'`];
    const pid = flags & F_SELF ? process.pid : word(rec, PROC_RECORD.pid);
    if (pid && !(flags & F_MAIN)) info.push(`pid=${pid}`);
    if (!(flags & (F_MAIN | F_PARENT)))
      info.push(`parent=${flags & F_SELF ? process.ppid : process.pid}`);
    info.push(status);
    if (code !== null) info.push(`exitcode=${exitCodeName(code)}`);
    if (flags & F_DAEMON) info.push('daemon');
    return `<${info.join(' ')}>`;
  }

  /** Shown by `console.log`. */
  [inspect.custom](): string {
    return this.toString();
  }

  /** Handles from other threads compare by record (`a.equals(b)`). */
  equals(other: unknown): boolean {
    return other instanceof Process && internals(other).rec === internals(this).rec;
  }
}

// Module functions rather than #private methods: a rebuilt subclass instance in the child is
// made without the constructor, so it has no private slots.

function checkClosed(p: Process): number {
  const rec = internals(p).rec;
  if (hasFlag(rec, F_CLOSED)) throw new ValueError('process object is closed');
  return rec;
}

function checkJoinable(p: Process): number {
  const rec = checkClosed(p);
  if (hasFlag(rec, F_SELF)) throw new AssertionError('can only join a child process');
  if (!hasFlag(rec, F_PARENT) && word(rec, PROC_RECORD.state) === INITIAL) {
    throw new AssertionError('can only join a started process');
  }
  return rec;
}

function signalProcess(p: Process, sig: NodeJS.Signals): void {
  const rec = checkClosed(p);
  if (hasFlag(rec, F_SELF | F_PARENT) || word(rec, PROC_RECORD.state) === INITIAL) {
    throw new AssertionError('can only signal a started child process');
  }
  if (pollChild(rec)) return; // already ended: nothing to do, as in Python
  try {
    process.kill(word(rec, PROC_RECORD.pid), sig);
  } catch {}
}

/** What the child is told: the target (encoded), its arguments, names and parent. */
function buildJob(p: Process): ProcessJob {
  const k = internals(p);
  let spec: TargetSpec | null;
  let args: unknown = [];
  let kwargs: unknown;
  if (p.run !== Process.prototype.run) {
    const fields = { ...p } as Record<string, unknown>;
    checkCrossProcess(fields, `process.${p.constructor.name}`, true);
    spec = encodeInstance(p, fields, 'run', 'process');
  } else {
    spec = k.target ? encodeFunction(k.target, 'target') : null;
    checkCrossProcess(k.args, 'args', true);
    args = encodeShared(k.args, 'args');
    if (k.kwargs != null) {
      checkCrossProcess(k.kwargs, 'kwargs', true);
      kwargs = encodeShared(k.kwargs, 'kwargs');
    }
  }
  const me = selfRecord();
  return {
    spec,
    args,
    kwargs,
    hasKwargs: k.kwargs != null,
    name: readName(k.rec),
    daemon: hasFlag(k.rec, F_DAEMON),
    identity: k.ident,
    parent: {
      pid: process.pid,
      name: readName(me),
      startTime: procStat(process.pid)?.startTime ?? 0,
    },
    fds: { how: 'inherited', count: 0 }, // filled in when the child is launched
  };
}

function parentAlive(rec: number): boolean {
  const st = procStat(word(rec, PROC_RECORD.pid));
  return st !== null && st.state !== 'Z' && (st.startTime | 0) === word(rec, PROC_RECORD.startTime);
}

function waitParent(rec: number, deadline: number): void {
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  while (parentAlive(rec)) {
    const left = deadline - performance.now();
    if (left <= 0) return;
    Atomics.wait(sleeper, 0, 0, Math.min(left, 10));
  }
}

// The protocol gives a revived handle its count and enters it in the identity cache.
registerSharedType('mp.Process', (d) => attach(d.words[0], () => new Process()));

export { STOPPED };
