/**
 * `multiprocessing.Pool` (worker processes) and `multiprocessing.pool.ThreadPool` (pool
 * threads), with one interface. Nothing here blocks: `apply`, `map`, `starmap` and
 * `AsyncResult.get()` return Promises.
 */
import { BrokenProcessPool, BrokenThreadPool, RuntimeError, ValueError } from '@threadkit/core';
import { decodeShared, discardEncoded, stateSlot } from '@threadkit/core/internal';
import { AsyncResult, IMapIterator, imapFeed, settleAsyncResult } from './async-result.js';
import { Dispatcher, type Job } from './internal/dispatcher.js';
import { checkInitargs, checkInitializer, cpuCount } from './internal/options.js';
import { RingDispatcher } from './internal/ring-dispatcher.js';
import { initTask, processSlots, type SlotFactory, threadSlots } from './internal/slots.js';
import { ERROR_CLASSES, processArgs, targetSpec, threadArgs } from './internal/targets.js';
import { counterWord } from './internal/task-words.js';
import { decodeError, type InitTask, type TaskMsg } from './internal/wire.js';

/** Options of {@link Pool} and {@link ThreadPool} (Python's arguments). */
export interface PoolOptions {
  /** Number of workers (default: the number of CPUs). */
  processes?: number | null;
  /** Run in each worker when it starts (a target: inline or module function). */
  initializer?: ((...args: any[]) => unknown) | null;
  /** Arguments of the initializer. */
  initargs?: readonly unknown[];
  /** Replace a worker after it has run this many tasks (default: never). */
  maxtasksperchild?: number | null;
}

type Settled = { ok: true; value: unknown } | { ok: false; value: unknown };
type PoolKind = 'process' | 'thread';

const threadPoolCounter = stateSlot('pool.threadPoolCounter', () => ({ next: 0 }));

/**
 * Tasks a pool process may be sent at once: they wait in the child while it runs one, so a
 * burst of tiny tasks pays no round trip between them, and goes in few writes (CPython's
 * workers read the next task from a shared pipe). Beyond 2, only while the process reports
 * outcomes within {@link PROCESS_FLOWING_MS}: a process busy on a long task gets no more than
 * one waiting behind it, as other workers may be free.
 */
const PROCESS_DEPTH = 16;
const PROCESS_FLOWING_MS = 1;

/** How many items `imap` reads from its input per turn of the event loop. */
const FEED_BATCH = 64;

function checkProcesses(value: unknown): number {
  if (value === null || value === undefined) return cpuCount();
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new TypeError('processes must be an integer');
  if (value < 1) throw new ValueError('Number of processes must be at least 1');
  return value;
}

function checkMaxtasks(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ValueError('maxtasksperchild must be a positive int or None');
  }
  return value;
}

function checkChunksize(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(`Chunksize must be 1+, not ${String(value)}`);
  }
  return value;
}

function toList(iterable: unknown, what = 'iterable'): unknown[] {
  if (
    iterable === null ||
    iterable === undefined ||
    typeof (iterable as any)[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(`${what} must be iterable`);
  }
  return Array.isArray(iterable) ? iterable : [...(iterable as Iterable<unknown>)];
}

/** The common implementation of {@link Pool} and {@link ThreadPool}. */
abstract class BasePool {
  readonly #kind: PoolKind;
  readonly #processes: number;
  readonly #dispatcher: Dispatcher | RingDispatcher;
  #state: 'RUN' | 'CLOSE' | 'TERMINATE' = 'RUN';
  #broken: Error | null = null;
  /** Fail functions of results and iterators not complete yet (for terminate/breakage). */
  readonly #open = new Set<(error: unknown) => void>();
  /** imap inputs still being read. */
  readonly #feeders = new Set<Promise<void>>();
  #closing: Promise<void> | null = null;
  #counter: { word: number; dispose(): void } | null = null;
  /** The initializer's encoded arguments: every worker decodes them, this copy holds counts. */
  #initArgs: unknown;

  protected constructor(kind: PoolKind, options: PoolOptions | number | null | undefined) {
    const opts: PoolOptions =
      typeof options === 'number'
        ? { processes: options }
        : options === null || options === undefined
          ? {}
          : options;
    if (typeof opts !== 'object') throw new TypeError('expected an options object');
    this.#kind = kind;
    this.#processes = checkProcesses(opts.processes);
    checkInitializer(opts.initializer);
    const initargs = checkInitargs(opts.initargs);
    const maxtasks = checkMaxtasks(opts.maxtasksperchild);
    let init: InitTask | null = null;
    if (opts.initializer) {
      init = initTask(
        targetSpec(opts.initializer, 'initializer'),
        this.#encode(initargs, 'initargs'),
      ) as InitTask;
    }
    let slots: SlotFactory = processSlots();
    let prefix = '';
    if (kind === 'thread') {
      this.#counter = counterWord();
      prefix = `ThreadPool-${threadPoolCounter.next++}`;
      slots = threadSlots(prefix, this.#counter.word);
    }
    this.#initArgs = init?.args;
    const onWorkerDied = (job: Job | null, error: unknown) =>
      job ? job.lost(error) : this.#break('start', error);
    // Threads that all run the same way (no initializer, never replaced) share one task ring:
    // no message per task. The others keep one worker slot per thread.
    this.#dispatcher =
      kind === 'thread' && init === null && maxtasks === null && this.#counter
        ? new RingDispatcher({
            size: this.#processes,
            prefix,
            counterWord: this.#counter.word,
            onWorkerDied,
          })
        : new Dispatcher({
            size: this.#processes,
            slots,
            init,
            maxTasksPerWorker: maxtasks,
            eager: true,
            depth: kind === 'process' ? PROCESS_DEPTH : 1,
            flowingMs: kind === 'process' ? PROCESS_FLOWING_MS : undefined,
            onInitFailed: (error) => this.#break('initializer', decodeError(error, ERROR_CLASSES)),
            onWorkerDied,
          });
  }

  /** The number of workers. */
  get processes(): number {
    return this.#processes;
  }

  #encode(args: unknown, path: string): unknown {
    return this.#kind === 'process' ? processArgs(args, path) : threadArgs(args, path);
  }

  #checkRunning(): void {
    if (this.#broken) throw this.#broken;
    if (this.#state !== 'RUN') throw new ValueError('Pool not running');
  }

  #break(reason: 'initializer' | 'start', cause: unknown): void {
    if (this.#broken || this.#state === 'TERMINATE') return;
    const what = this.#kind === 'process' ? 'process' : 'thread';
    const message =
      reason === 'initializer'
        ? `A ${what} initializer failed, the pool is not usable anymore`
        : `A worker ${what} could not start, the pool is not usable anymore`;
    this.#broken =
      this.#kind === 'process'
        ? new BrokenProcessPool(message, { cause })
        : new BrokenThreadPool(message, { cause });
    this.#dispatcher.terminate();
    for (const fail of [...this.#open]) fail(this.#broken);
  }

  /** Send a task; `deliver` gets how it ended. */
  #send(task: TaskMsg, deliver: (result: Settled) => void): void {
    const decode = this.#kind === 'process' ? (v: unknown) => v : decodeShared;
    const job: Job = {
      task,
      cancelled: () => false,
      begin: () => true,
      done: (outcome) => {
        if (outcome.s === 'ok') deliver({ ok: true, value: decode(outcome.v) });
        else if (outcome.s === 'err' || outcome.s === 'init-failed') {
          deliver({ ok: false, value: decodeError(outcome.e, ERROR_CLASSES) });
        }
      },
      lost: (error) => deliver({ ok: false, value: this.#lostError(error) }),
      // Shared arguments of a task never sent hold counts (threads only): give them back.
      dropped:
        this.#kind === 'thread'
          ? () =>
              discardEncoded(
                task.k === 'call' ? task.args : task.k === 'chunk' ? task.argsList : undefined,
              )
          : undefined,
    };
    this.#dispatcher.submit(job);
  }

  #lostError(cause: unknown): Error {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return this.#kind === 'process'
      ? new BrokenProcessPool(
          'A worker process of the pool was terminated abruptly while running this task',
          { cause },
        )
      : new RuntimeError(`the pool thread running this task stopped (${reason})`, { cause });
  }

  /** A result that terminate()/breakage can fail. */
  #track<T>(result: AsyncResult<T>): AsyncResult<T> {
    const fail = (error: unknown) => {
      this.#open.delete(fail);
      settleAsyncResult(result, false, error, false);
    };
    this.#open.add(fail);
    return result;
  }

  #settle(result: AsyncResult<any>, ok: boolean, value: unknown): void {
    settleAsyncResult(result, ok, value);
  }

  /** `func(...args)` in a worker (with `kwds` as a final argument when given); its value. */
  apply<R>(
    func: (...args: any[]) => R,
    args: readonly unknown[] = [],
    kwds?: Record<string, unknown> | null,
  ): Promise<Awaited<R>> {
    return this.applyAsync(func, args, kwds).get();
  }

  /** `func(...args)` in a worker, as an {@link AsyncResult}; callbacks run when it settles. */
  applyAsync<R>(
    func: (...args: any[]) => R,
    args: readonly unknown[] = [],
    kwds?: Record<string, unknown> | null,
    callback?: ((value: Awaited<R>) => unknown) | null,
    errorCallback?: ((error: unknown) => unknown) | null,
  ): AsyncResult<Awaited<R>> {
    this.#checkRunning();
    if (!Array.isArray(args)) throw new TypeError('args must be an array');
    const callArgs = kwds === null || kwds === undefined ? args : [...args, kwds];
    const task: TaskMsg = {
      k: 'call',
      spec: targetSpec(func, 'func'),
      args: this.#encode(callArgs, 'args'),
    };
    const result = this.#track(new AsyncResult<Awaited<R>>(callback, errorCallback));
    this.#send(task, ({ ok, value }) => this.#settle(result, ok, value));
    return result;
  }

  /** `func` over `iterable`, in order, as a Promise of the list (CPython's `map`). */
  map<R>(
    func: (arg: any) => R,
    iterable: Iterable<unknown>,
    chunksize?: number | null,
  ): Promise<Awaited<R>[]> {
    return this.mapAsync(func, iterable, chunksize).get();
  }

  /** `func` over `iterable` as an {@link AsyncResult} of the list. */
  mapAsync<R>(
    func: (arg: any) => R,
    iterable: Iterable<unknown>,
    chunksize?: number | null,
    callback?: ((value: Awaited<R>[]) => unknown) | null,
    errorCallback?: ((error: unknown) => unknown) | null,
  ): AsyncResult<Awaited<R>[]> {
    return this.#mapAsync(func, iterable, chunksize, callback, errorCallback, false);
  }

  /** `func(...args)` for each args array of `iterable`, as a Promise of the list. */
  starmap<R>(
    func: (...args: any[]) => R,
    iterable: Iterable<Iterable<unknown>>,
    chunksize?: number | null,
  ): Promise<Awaited<R>[]> {
    return this.starmapAsync(func, iterable, chunksize).get();
  }

  /** `func(...args)` for each args array of `iterable`, as an {@link AsyncResult} of the list. */
  starmapAsync<R>(
    func: (...args: any[]) => R,
    iterable: Iterable<Iterable<unknown>>,
    chunksize?: number | null,
    callback?: ((value: Awaited<R>[]) => unknown) | null,
    errorCallback?: ((error: unknown) => unknown) | null,
  ): AsyncResult<Awaited<R>[]> {
    return this.#mapAsync(func, iterable, chunksize, callback, errorCallback, true);
  }

  /** One item's arguments, checked for the trip. */
  #itemArgs(item: unknown, index: number, star: boolean): unknown[] {
    const args = star ? toList(item, `iterable[${index}]`) : [item];
    return args;
  }

  #mapAsync(
    func: (...args: any[]) => unknown,
    iterable: Iterable<unknown>,
    chunksize: number | null | undefined,
    callback: ((value: any) => unknown) | null | undefined,
    errorCallback: ((error: unknown) => unknown) | null | undefined,
    star: boolean,
  ): AsyncResult<any> {
    this.#checkRunning();
    const spec = targetSpec(func, 'func');
    const items = toList(iterable);
    const result = new AsyncResult<any>(callback, errorCallback);
    if (items.length === 0) {
      settleAsyncResult(result, true, [], false); // CPython: an empty map is ready at once
      return result;
    }
    let size = chunksize;
    if (size === null || size === undefined) {
      size = Math.floor(items.length / (this.#processes * 4));
      if (items.length % (this.#processes * 4)) size += 1;
    }
    size = checkChunksize(size);
    const chunks: unknown[] = [];
    for (let i = 0; i < items.length; i += size) {
      const argsList = items.slice(i, i + size).map((item, j) => this.#itemArgs(item, i + j, star));
      chunks.push(this.#encode(argsList, `iterable[${i}…]`));
    }
    this.#track(result);
    const out = new Array<unknown>(items.length);
    let left = chunks.length;
    chunks.forEach((argsList, c) => {
      this.#send({ k: 'chunk', spec, argsList }, ({ ok, value }) => {
        if (result.ready()) return;
        if (!ok) return this.#settle(result, false, value);
        const values = value as unknown[];
        for (let j = 0; j < values.length; j++) out[c * (size as number) + j] = values[j];
        if (--left === 0) this.#settle(result, true, out);
      });
    });
    return result;
  }

  /** Results of `func` over `iterable`, in order, as they come (an async iterator). */
  imap<R>(
    func: (arg: any) => R,
    iterable: Iterable<unknown>,
    chunksize = 1,
  ): IMapIterator<Awaited<R>> {
    return this.#imap(func, iterable, chunksize, true);
  }

  /** Results of `func` over `iterable`, in completion order (an async iterator). */
  imapUnordered<R>(
    func: (arg: any) => R,
    iterable: Iterable<unknown>,
    chunksize = 1,
  ): IMapIterator<Awaited<R>> {
    return this.#imap(func, iterable, chunksize, false);
  }

  #imap(
    func: (arg: any) => unknown,
    iterable: Iterable<unknown>,
    chunksize: number,
    ordered: boolean,
  ): IMapIterator<any> {
    this.#checkRunning();
    const size = checkChunksize(chunksize);
    const spec = targetSpec(func, 'func');
    if (
      iterable === null ||
      iterable === undefined ||
      typeof (iterable as any)[Symbol.iterator] !== 'function'
    ) {
      throw new TypeError('iterable must be iterable');
    }
    const source = (iterable as Iterable<unknown>)[Symbol.iterator]();
    const it = new IMapIterator<any>(ordered);
    let chunk = 0;
    let running = 0;
    let exhausted = false;
    const fail = (error: unknown) => {
      this.#open.delete(fail);
      imapFeed.fail(it, error);
    };
    this.#open.add(fail);
    const finishIfDone = () => {
      if (exhausted && running === 0) this.#open.delete(fail);
    };
    // The input is read in the background, a batch per event-loop turn (CPython reads it in
    // a task-handler thread), so a long or endless input never blocks this thread.
    const feedOnce = (): boolean => {
      for (let n = 0; n < FEED_BATCH; n++) {
        if (this.#state === 'TERMINATE' || this.#broken) return true;
        const batch: unknown[][] = [];
        let error: unknown = null;
        try {
          while (batch.length < size) {
            const r = source.next();
            if (r.done) break;
            batch.push([r.value]);
          }
        } catch (err) {
          error = err;
        }
        const index = chunk;
        if (error !== null) {
          imapFeed.deliver(it, index, { ok: false, error });
          chunk += 1;
        } else if (batch.length > 0) {
          let argsList: unknown;
          try {
            argsList = this.#encode(batch, `iterable[${index * size}…]`);
          } catch (err) {
            imapFeed.deliver(it, index, { ok: false, error: err });
            chunk += 1;
            continue;
          }
          chunk += 1;
          running += 1;
          this.#send({ k: 'chunk', spec, argsList }, ({ ok, value }) => {
            running -= 1;
            imapFeed.deliver(
              it,
              index,
              ok ? { ok: true, values: value as unknown[] } : { ok: false, error: value },
            );
            finishIfDone();
          });
        }
        if (error !== null || batch.length < size) {
          exhausted = true;
          imapFeed.setLength(it, chunk);
          finishIfDone();
          return true;
        }
      }
      return false;
    };
    if (!feedOnce()) {
      const feeder = new Promise<void>((resolve) => {
        const step = () => (feedOnce() ? resolve() : setImmediate(step));
        setImmediate(step);
      });
      this.#feeders.add(feeder);
      void feeder.then(() => this.#feeders.delete(feeder));
    }
    return it;
  }

  /** No more tasks: the workers stop once the queued work is done. */
  close(): void {
    if (this.#state !== 'RUN') return;
    this.#state = 'CLOSE';
    this.#closing = (async () => {
      while (this.#feeders.size > 0) await Promise.all([...this.#feeders]);
      await this.#dispatcher.close();
      this.#disposeShared();
    })();
  }

  /** Stop the workers now; results not ready yet fail. */
  async terminate(): Promise<void> {
    if (this.#state === 'TERMINATE') return this.#closing ?? undefined;
    this.#state = 'TERMINATE';
    const { finished } = this.#dispatcher.terminate();
    const error = new RuntimeError('the pool was terminated before this task finished');
    for (const fail of [...this.#open]) fail(error);
    this.#closing = finished.then(() => this.#disposeShared());
    await this.#closing;
  }

  /** The workers are gone: free the pool's arena words and its initargs' counts. */
  #disposeShared(): void {
    this.#counter?.dispose();
    this.#counter = null;
    if (this.#kind === 'thread' && this.#initArgs !== undefined) discardEncoded(this.#initArgs);
    this.#initArgs = undefined;
  }

  /** Wait for the workers to exit (after `close()` or `terminate()`). */
  async join(): Promise<void> {
    if (this.#state === 'RUN') throw new ValueError('Pool is still running');
    await this.#closing;
  }

  /** `await using pool = new Pool()`: terminate at the end of the scope, as Python's `with`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.terminate();
  }

  /** `using pool = new Pool()`: terminate at the end of the scope (without waiting). */
  [Symbol.dispose](): void {
    this.terminate().catch(() => {});
  }
}

/**
 * A pool of worker processes (Python's `multiprocessing.Pool`). Arguments and results are
 * plain data (v8 serialization); each worker is a real process.
 *
 * ```ts
 * await using pool = new Pool({ processes: 4 });
 * console.log(await pool.map((x) => x * x, [1, 2, 3])); // [1, 4, 9]
 * ```
 */
export class Pool extends BasePool {
  /** `new Pool({ processes, initializer, initargs, maxtasksperchild })`, or `(processes)`. */
  constructor(options?: PoolOptions | number | null) {
    super('process', options);
  }
}

/**
 * A pool of threads with {@link Pool}'s interface (Python's `multiprocessing.pool.ThreadPool`).
 * Arguments may contain threadkit shared objects (locks, queues…), which arrive working.
 */
export class ThreadPool extends BasePool {
  /** `new ThreadPool({ processes, initializer, initargs, maxtasksperchild })`, or `(processes)`. */
  constructor(options?: PoolOptions | number | null) {
    super('thread', options);
  }
}
