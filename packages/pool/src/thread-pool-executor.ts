/**
 * `concurrent.futures.ThreadPoolExecutor` on piscina: calls run in pool threads named
 * `<prefix>_<k>` that share threadkit's shared memory, so a Lock, Event or Queue passed as an
 * argument arrives working. A future is PENDING until a thread claims its task word in shared
 * memory and can be cancelled until then, exactly as in CPython.
 */
import { BrokenThreadPool, RuntimeError } from '@threadkit/core';
import { decodeShared, discardEncoded, stateSlot, type TargetSpec } from '@threadkit/core/internal';
import { Executor, type ShutdownOptions, shutdownOptions } from './executor.js';
import { Future, futureInternals as fi } from './future.js';
import {
  checkInitargs,
  checkInitializer,
  checkMaxWorkers,
  defaultThreadWorkers,
  optionsObject,
} from './internal/options.js';
import { ServeLoops } from './internal/serve-loops.js';
import { SpecStore } from './internal/spec-store.js';
import { ERROR_CLASSES, isPrimitive, targetSpec, threadArgs } from './internal/targets.js';
import { counterWord, TaskWords } from './internal/task-words.js';
import { PoolThreads } from './internal/thread-workers.js';
import { decodeError, type Outcome } from './internal/wire.js';

/** Options of {@link ThreadPoolExecutor} (Python's keyword arguments). */
export interface ThreadPoolExecutorOptions {
  /** Most threads (default `min(32, cpus + 4)`). */
  maxWorkers?: number | null;
  /** Threads are named `<prefix>_<k>` (default `ThreadPoolExecutor-<n>`). */
  threadNamePrefix?: string | null;
  /** Run in each thread before its first call (a target: inline or module function). */
  initializer?: ((...args: any[]) => unknown) | null;
  /** Arguments of the initializer. */
  initargs?: readonly unknown[];
}

const BROKEN_MESSAGE = 'A thread initializer failed, the thread pool is not usable anymore';
const counter = stateSlot('pool.threadPoolExecutorCounter', () => ({ next: 0 }));

/** Mark a future running once its worker has reported, if nothing did so yet. */
export function ensureRunning(f: Future<any>): void {
  if (fi.state(f) === 'PENDING') f.setRunningOrNotifyCancel();
}

/**
 * An executor that runs calls in a pool of threads (Python's `ThreadPoolExecutor`).
 *
 * ```ts
 * await using pool = new ThreadPoolExecutor({ maxWorkers: 4 });
 * const f = pool.submit((a, b) => a * b, 6, 7);
 * console.log(await f.result()); // 42
 * ```
 * Calls are inline functions (self-contained), `threadable()` module functions, or
 * instances of exported classes with a `run()` method.
 */
export class ThreadPoolExecutor extends Executor {
  readonly #maxWorkers: number;
  readonly #prefix: string;
  readonly #init: { spec: TargetSpec; args: unknown } | null;
  #threads: PoolThreads | null = null;
  #loops: ServeLoops | null = null;
  #counter: { word: number; dispose(): void } | null = null;
  readonly #words = new TaskWords();
  readonly #specs = new SpecStore();
  /** Futures whose task has not reported yet, by task word. */
  readonly #inFlight = new Map<number, Future<any>>();
  #idleWakers: Array<() => void> = [];
  #shutdown = false;
  #broken: string | null = null;
  #closing: Promise<void> | null = null;

  /** `new ThreadPoolExecutor({ maxWorkers, threadNamePrefix, initializer, initargs })`, or `(maxWorkers)`. */
  constructor(options?: ThreadPoolExecutorOptions | number | null) {
    super();
    const opts = optionsObject(options, 'maxWorkers');
    this.#maxWorkers = checkMaxWorkers(opts.maxWorkers, defaultThreadWorkers);
    checkInitializer(opts.initializer);
    const initargs = checkInitargs(opts.initargs);
    this.#init = opts.initializer
      ? {
          spec: targetSpec(opts.initializer, 'initializer'),
          args: threadArgs(initargs, 'initargs'),
        }
      : null;
    this.#prefix = opts.threadNamePrefix || `ThreadPoolExecutor-${counter.next++}`;
  }

  /** The most threads this executor runs at once. */
  get maxWorkers(): number {
    return this.#maxWorkers;
  }

  /** The prefix of its threads' names. */
  get threadNamePrefix(): string {
    return this.#prefix;
  }

  /**
   * Schedule `fn(...args)` on a pool thread; returns its Future. Throws at once after
   * `shutdown()` (`RuntimeError`), on a broken pool (`BrokenThreadPool`), or for an argument
   * that cannot cross (`DataCloneError` naming its path).
   */
  submit<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Future<Awaited<R>> {
    if (this.#broken) throw new BrokenThreadPool(this.#broken);
    if (this.#shutdown) throw new RuntimeError('cannot schedule new futures after shutdown');
    const spec = targetSpec(fn);
    const encoded = threadArgs(args);
    const f = new Future<Awaited<R>>();
    const word = this.#words.take();
    fi.bindRemote(f, this.#words, word);
    this.#inFlight.set(word, f);
    this.#serveLoops().pushCall(word, spec, encoded, this.#specs);
    return f;
  }

  /**
   * Stop accepting calls; `cancelFutures` cancels those not started. With `wait` (default)
   * resolves once every started call has finished and the threads are gone. Without it,
   * pending calls still run in the background (and keep the process alive until they have).
   */
  shutdown(options?: ShutdownOptions | boolean): Promise<void> {
    const { wait, cancelFutures } = shutdownOptions(options);
    this.#shutdown = true;
    if (cancelFutures) for (const f of this.#inFlight.values()) f.cancel();
    this.#closing ??= this.#close();
    return wait ? this.#closing : Promise.resolve();
  }

  #serveLoops(): ServeLoops {
    this.#loops ??= new ServeLoops({
      max: this.#maxWorkers,
      threads: () => this.#pool(),
      settle: (word, outcome) => {
        const f = this.#inFlight.get(word);
        if (f) this.#settle(word, f, outcome);
      },
      lost: (word, err) => {
        const f = this.#inFlight.get(word);
        if (f) this.#lost(word, f, err);
      },
      pending: (word) => this.#inFlight.has(word),
      inFlight: () => this.#inFlight.size,
    });
    return this.#loops;
  }

  #pool(): PoolThreads {
    if (!this.#threads) {
      this.#counter = counterWord();
      this.#threads = new PoolThreads({
        maxThreads: this.#maxWorkers,
        minThreads: 0,
        prefix: this.#prefix,
        counterWord: this.#counter.word,
        init: this.#init,
        onFatal: (error) => this.#threadsLost(error),
      });
    }
    return this.#threads;
  }

  #settle(word: number, f: Future<any>, outcome: Outcome): void {
    this.#inFlight.delete(word);
    this.#words.release(word);
    switch (outcome.s) {
      case 'cancelled':
        if (fi.state(f) === 'CANCELLED') f.setRunningOrNotifyCancel();
        break;
      case 'ok':
        if (!f.done()) {
          ensureRunning(f);
          f.setResult(isPrimitive(outcome.v) ? outcome.v : decodeShared(outcome.v));
        }
        break;
      case 'err':
        if (!f.done()) {
          ensureRunning(f);
          f.setException(decodeError(outcome.e, ERROR_CLASSES));
        }
        break;
      case 'init-failed': {
        const cause = decodeError(outcome.e, ERROR_CLASSES);
        this.#break(cause);
        if (!f.done()) f.setException(new BrokenThreadPool(BROKEN_MESSAGE, { cause }));
        break;
      }
    }
    this.#checkIdle();
  }

  /** The thread running the task died (e.g. `process.exit()` inside the call). */
  #lost(word: number, f: Future<any>, err: unknown): void {
    this.#inFlight.delete(word);
    this.#words.release(word);
    if (fi.state(f) === 'CANCELLED') f.setRunningOrNotifyCancel();
    else if (!f.done()) {
      ensureRunning(f);
      const reason = err instanceof Error ? err.message : String(err);
      f.setException(
        new RuntimeError(`the pool thread running this call stopped (${reason})`, { cause: err }),
      );
    }
    this.#checkIdle();
  }

  /** An initializer failed: fail every call not started yet; refuse new ones. */
  #break(cause: unknown): void {
    if (this.#broken) return;
    this.#broken = BROKEN_MESSAGE;
    for (const [word, f] of this.#inFlight) {
      if (fi.state(f) === 'PENDING' && this.#words.tryCancel(word)) {
        f.setException(new BrokenThreadPool(BROKEN_MESSAGE, { cause }));
      }
    }
  }

  /** No pool thread could start: nothing will ever run the calls in flight. */
  #threadsLost(cause: unknown): void {
    this.#broken ??= 'A thread of the pool could not start, the thread pool is not usable anymore';
    for (const f of this.#inFlight.values()) {
      if (fi.state(f) === 'CANCELLED') f.setRunningOrNotifyCancel();
      else if (!f.done()) f.setException(new BrokenThreadPool(this.#broken, { cause }));
    }
    this.#inFlight.clear();
    this.#checkIdle();
  }

  #checkIdle(): void {
    if (this.#inFlight.size > 0) return;
    const wakers = this.#idleWakers;
    this.#idleWakers = [];
    for (const wake of wakers) wake();
  }

  async #close(): Promise<void> {
    if (this.#inFlight.size > 0)
      await new Promise<void>((resolve) => this.#idleWakers.push(resolve));
    const loops = this.#loops;
    await loops?.stop();
    const threads = this.#threads;
    this.#threads = null;
    await threads?.destroy();
    loops?.dispose();
    // Each thread took counts of its own on the initializer's shared arguments; this copy's go.
    if (this.#init) discardEncoded(this.#init.args);
    this.#words.dispose();
    this.#specs.dispose();
    this.#counter?.dispose();
  }
}
