/**
 * `concurrent.futures.ProcessPoolExecutor` over child processes (internal/process-slot.ts, one
 * task each at a time). Each call gets a real process (`process.pid` differs from the parent's);
 * a call that kills its process breaks the pool as in CPython: that future and every pending
 * one fail with `BrokenProcessPool`, and nothing hangs.
 */
import { BrokenProcessPool, RuntimeError, ValueError } from '@threadkit/core';
import {
  Executor,
  type MapOptions,
  mapArguments,
  mapResults,
  type ShutdownOptions,
  shutdownOptions,
} from './executor.js';
import { Future, futureInternals as fi } from './future.js';
import { Dispatcher, type Job } from './internal/dispatcher.js';
import { batched, zipIterables } from './internal/iterables.js';
import {
  checkInitargs,
  checkInitializer,
  checkMaxWorkers,
  cpuCount,
  optionsObject,
} from './internal/options.js';
import { initTask, processSlots } from './internal/slots.js';
import { ERROR_CLASSES, processArgs, targetSpec } from './internal/targets.js';
import { decodeError, type InitTask, type Outcome, type TaskMsg } from './internal/wire.js';

/** Options of {@link ProcessPoolExecutor} (Python's keyword arguments). */
export interface ProcessPoolExecutorOptions {
  /** Most processes (default: the number of CPUs). */
  maxWorkers?: number | null;
  /** Run in each process before its first call. */
  initializer?: ((...args: any[]) => unknown) | null;
  /** Arguments of the initializer (plain data). */
  initargs?: readonly unknown[];
  /** Replace a process after this many calls (default: never). */
  maxTasksPerChild?: number | null;
}

const BROKEN_SUBMIT = 'A child process terminated abruptly, the process pool is not usable anymore';
const BROKEN_FUTURE =
  'A process in the process pool was terminated abruptly while the future was running or pending.';

function checkMaxTasks(value: unknown, name: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new TypeError(`${name} must be an integer`);
  if (value < 1) throw new ValueError(`${name} must be >= 1`);
  return value;
}

/**
 * An executor that runs calls in child processes (Python's `ProcessPoolExecutor`).
 * Arguments and results cross by v8 serialization (plain data, Maps, Sets, typed arrays…);
 * threadkit shared objects cannot cross to another process and are refused at `submit`.
 */
export class ProcessPoolExecutor extends Executor {
  readonly #maxWorkers: number;
  readonly #maxTasksPerChild: number | null;
  readonly #init: InitTask | null;
  #dispatcher: Dispatcher | null = null;
  /** Futures submitted and not finished. */
  readonly #pending = new Set<Future<any>>();
  #shutdown = false;
  #broken: string | null = null;
  #closing: Promise<void> | null = null;

  /** `new ProcessPoolExecutor({ maxWorkers, initializer, initargs, maxTasksPerChild })`, or `(maxWorkers)`. */
  constructor(options?: ProcessPoolExecutorOptions | number | null) {
    super();
    const opts = optionsObject(options, 'maxWorkers');
    this.#maxWorkers = checkMaxWorkers(opts.maxWorkers, cpuCount);
    checkInitializer(opts.initializer);
    const initargs = checkInitargs(opts.initargs);
    this.#maxTasksPerChild = checkMaxTasks(opts.maxTasksPerChild, 'max_tasks_per_child');
    this.#init = opts.initializer
      ? (initTask(
          targetSpec(opts.initializer, 'initializer'),
          processArgs(initargs, 'initargs'),
        ) as InitTask)
      : null;
  }

  /** The most processes this executor runs at once. */
  get maxWorkers(): number {
    return this.#maxWorkers;
  }

  /**
   * Schedule `fn(...args)` in a worker process; returns its Future. Throws at once after
   * `shutdown()` (`RuntimeError`), on a broken pool (`BrokenProcessPool`), or for an argument
   * that cannot cross (`DataCloneError` naming its path).
   */
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<Awaited<R>> {
    this.#checkOpen();
    return this.#submitTask({ k: 'call', spec: targetSpec(fn), args: processArgs(args) });
  }

  /**
   * As `Executor.map`, and `chunksize` sends that many calls to a process as one task
   * (fewer round trips for many small calls).
   */
  override map<R>(
    fn: (...args: any[]) => R,
    ...iterablesAndOptions: Array<Iterable<unknown> | MapOptions>
  ): AsyncGenerator<Awaited<R>, void, undefined> {
    const { iterables, options } = mapArguments(iterablesAndOptions);
    const chunksize = options.chunksize ?? 1;
    if (typeof chunksize !== 'number' || !Number.isInteger(chunksize) || chunksize < 1) {
      throw new ValueError('chunksize must be >= 1.');
    }
    if (chunksize === 1) {
      return mapResults(
        (args) => this.submit(fn, ...args),
        zipIterables(iterables),
        options.timeout,
        options.buffersize,
      );
    }
    const spec = targetSpec(fn);
    const chunks = mapResults(
      (batch) => {
        this.#checkOpen();
        return this.#submitTask({ k: 'chunk', spec, argsList: processArgs(batch) }) as Future<
          Awaited<R>[]
        >;
      },
      batched(zipIterables(iterables), chunksize),
      options.timeout,
      options.buffersize,
    );
    return (async function* flatten() {
      for await (const chunk of chunks) yield* chunk;
    })();
  }

  /**
   * Stop accepting calls; `cancelFutures` cancels those not started. With `wait` (default)
   * resolves once every started call has finished and the processes are gone.
   */
  shutdown(options?: ShutdownOptions | boolean): Promise<void> {
    const { wait, cancelFutures } = shutdownOptions(options);
    this.#shutdown = true;
    if (cancelFutures) for (const f of this.#pending) f.cancel();
    this.#closing ??= this.#dispatcher ? this.#dispatcher.close() : Promise.resolve();
    return wait ? this.#closing : Promise.resolve();
  }

  #checkOpen(): void {
    if (this.#broken) throw new BrokenProcessPool(this.#broken);
    if (this.#shutdown) throw new RuntimeError('cannot schedule new futures after shutdown');
  }

  #submitTask(task: TaskMsg): Future<any> {
    const f = new Future<any>();
    this.#pending.add(f);
    const job: Job = {
      task,
      cancelled: () => f.cancelled(),
      begin: () => {
        // A queued future cancelled meanwhile is notified and dropped here.
        if (fi.state(f) === 'PENDING' && f.setRunningOrNotifyCancel()) return true;
        if (fi.state(f) === 'CANCELLED') f.setRunningOrNotifyCancel();
        this.#pending.delete(f);
        return false;
      },
      done: (outcome) => this.#settle(f, outcome),
      lost: () => {},
    };
    this.#getDispatcher().submit(job);
    return f;
  }

  #getDispatcher(): Dispatcher {
    this.#dispatcher ??= new Dispatcher({
      size: this.#maxWorkers,
      slots: processSlots(),
      init: this.#init,
      maxTasksPerWorker: this.#maxTasksPerChild,
      eager: false,
      onInitFailed: (error) => this.#break(decodeError(error, ERROR_CLASSES)),
      onWorkerDied: (_job, error) => this.#break(error),
    });
    return this.#dispatcher;
  }

  #settle(f: Future<any>, outcome: Outcome): void {
    this.#pending.delete(f);
    if (f.done()) return;
    if (outcome.s === 'ok') f.setResult(outcome.v);
    else if (outcome.s === 'err' || outcome.s === 'init-failed')
      f.setException(decodeError(outcome.e, ERROR_CLASSES));
  }

  /** A process died (or its initializer failed): fail every unfinished future, stop the rest. */
  #break(cause: unknown): void {
    if (this.#broken) return;
    this.#broken = BROKEN_SUBMIT;
    this.#dispatcher?.terminate();
    for (const f of this.#pending) {
      if (!f.done()) f.setException(new BrokenProcessPool(BROKEN_FUTURE, { cause }));
    }
    this.#pending.clear();
  }
}
