/**
 * A worker slot: one worker (a child process, or a pool thread) that runs one task at a time.
 * The dispatcher of process executors and of `Pool`/`ThreadPool` owns a set of slots, so it
 * always knows which worker runs what: which future a crash breaks, when a worker has done
 * `maxtasksperchild` tasks and must be replaced.
 */
import { childProcessExecArgv, type TargetSpec } from '@threadkit/core/internal';
import { BUILD_EXT } from './build-ext.js';
import { PoolThreads } from './thread-workers.js';
import type { Outcome, TaskMsg } from './wire.js';

/** One worker running one task at a time. */
export interface WorkerSlot {
  /** Run a task; rejects only if the worker died (crash, `process.exit()`, a kill). */
  run(task: TaskMsg): Promise<Outcome>;
  /** Stop the worker (a running task is abandoned). */
  destroy(): Promise<void>;
}

/** Makes worker slots of one kind. */
export type SlotFactory = () => WorkerSlot;

// Loaded on first use, so programs that only use threads never load it. (tinypool is an ES
// module; the CommonJS build turns this into require(), which Node >= 20.19 supports.)
let tinypoolModule: Promise<typeof import('tinypool')> | null = null;

/** The worker program of pool processes, next to this module in `dist/`. */
function processWorkerUrl(): string {
  return new URL(`./process-entry${BUILD_EXT}`, import.meta.url).href;
}

/** A child process (tinypool, `runtime: 'child_process'`, one worker). */
class ProcessSlot implements WorkerSlot {
  readonly #pool: Promise<any>;

  /** `depth`: tasks sent to the child at once (it runs them one after another). */
  constructor(depth = 1) {
    tinypoolModule ??= import('tinypool');
    this.#pool = tinypoolModule.then(
      ({ Tinypool }) =>
        new Tinypool({
          filename: processWorkerUrl(),
          runtime: 'child_process',
          minThreads: 1,
          maxThreads: 1,
          concurrentTasksPerWorker: depth,
          idleTimeout: Number.POSITIVE_INFINITY,
          execArgv: childProcessExecArgv({ dropTsx: false }),
          // The environment at fork time, as Python's children inherit os.environ: without
          // it tinypool forks the child with nothing but TINYPOOL_WORKER_ID (no PATH, HOME…).
          env: process.env as Record<string, string>, // the live object: read at each fork
          // v8 serialization: Maps, Sets, Dates, typed arrays, errors… cross as with threads.
          serialization: 'advanced',
        }),
    );
  }

  async run(task: TaskMsg): Promise<Outcome> {
    return (await this.#pool).run(task) as Promise<Outcome>;
  }

  async destroy(): Promise<void> {
    // tinypool unrefs an idle child and only SIGKILLs one that outlives SIGTERM by 1 s: without
    // a handle of our own the loop could empty first, and `await pool.terminate()` would never
    // return (exit code 13: a child that handles SIGTERM, or one slow to die on a busy machine).
    const keepAlive = setInterval(() => {}, 60_000);
    try {
      await (await this.#pool).destroy();
    } finally {
      clearInterval(keepAlive);
    }
  }
}

/** Slots that are child processes, each sent up to `depth` tasks at once (the Dispatcher's `depth`). */
export function processSlots(depth = 1): SlotFactory {
  return () => new ProcessSlot(depth);
}

/** Slots that are pool threads named `<prefix>_<k>` (k counted in `counterWord`). */
export function threadSlots(prefix: string, counterWord: number): SlotFactory {
  return () => {
    let fail: (error: unknown) => void = () => {};
    // Rejects if the thread cannot start at all, so the slot's task does not wait forever.
    const fatal = new Promise<never>((_, reject) => {
      fail = reject;
    });
    fatal.catch(() => {});
    const threads = new PoolThreads({
      maxThreads: 1,
      minThreads: 1,
      prefix,
      counterWord,
      onFatal: (e) => fail(e),
    });
    return {
      run: (task) => Promise.race([threads.run(task), fatal]),
      destroy: () => threads.destroy(),
    };
  };
}

/** The `init` task of a pool with an initializer. */
export function initTask(spec: TargetSpec, args: unknown): TaskMsg {
  return { k: 'init', spec, args };
}
