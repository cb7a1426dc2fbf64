/**
 * Pool threads on piscina, running `thread-entry.js`. Each thread registers itself as a
 * named threadkit thread; piscina terminates threads without running their exit handlers,
 * so the owner ends those thread records itself when piscina destroys a thread.
 */
import {
  alloc,
  arena,
  finishRecord,
  free,
  releaseRecord,
  type TargetSpec,
  workerExecArgv,
} from '@threadkit/core/internal';
import { Piscina } from 'piscina';
import { BUILD_EXT } from './build-ext.js';
import type {
  AdoptedMessage,
  Outcome,
  ReleaseTask,
  ServeTask,
  TaskMsg,
  ThreadWorkerConfig,
} from './wire.js';

/** The worker program, next to this module in `dist/`, in this build's format. */
function threadWorkerUrl(): string {
  return new URL(`./thread-entry${BUILD_EXT}`, import.meta.url).href;
}

/** Options of {@link PoolThreads}. */
export interface PoolThreadsOptions {
  maxThreads: number;
  minThreads: number;
  prefix: string;
  counterWord: number;
  init?: { spec: TargetSpec; args: unknown } | null;
  /**
   * Every thread is gone after a failure outside any task (a thread that cannot even load its
   * program): piscina then stops starting threads, so queued tasks would wait forever.
   */
  onFatal?: (error: unknown) => void;
}

/** A piscina pool of threadkit pool threads. */
export class PoolThreads {
  readonly #piscina: Piscina;
  /** threadId → thread record, for the threads alive now. */
  readonly #records = new Map<number, number>();
  /** Tasks handed to piscina and not settled yet. */
  #running = 0;

  constructor(options: PoolThreadsOptions) {
    const config: ThreadWorkerConfig = {
      prefix: options.prefix,
      counterWord: options.counterWord,
      init: options.init ?? null,
    };
    const execArgv = workerExecArgv();
    this.#piscina = new Piscina({
      filename: threadWorkerUrl(),
      maxThreads: options.maxThreads,
      minThreads: options.minThreads,
      // Python's pool threads live until shutdown; piscina's idle ones never keep the process alive.
      idleTimeout: Number.POSITIVE_INFINITY,
      recordTiming: false,
      workerData: { threadkitPool: config },
      // Without tsx's loader, which would start a loader thread in every worker.
      ...(execArgv ? { execArgv } : {}),
    });
    this.#piscina.on('message', (msg: Partial<AdoptedMessage> | null) => {
      const adopted = msg?.threadkitPoolAdopted;
      if (adopted) this.#records.set(adopted.threadId, adopted.rec);
    });
    this.#piscina.on('workerDestroy', (worker: { id: number }) => this.#endRecord(worker.id));
    // A thread failing outside any task is reported inside it; this keeps piscina's 'error'
    // event from becoming an uncaught exception here, and tells the owner when none is left.
    this.#piscina.on('error', (err: unknown) => {
      if (this.#piscina.threads.length === 0) options.onFatal?.(err);
    });
  }

  /** Run a task; rejects only if the thread running it died (e.g. `process.exit()` in it). */
  run(task: TaskMsg): Promise<Outcome> {
    this.#running++;
    const done = this.#piscina.run(task) as Promise<Outcome>;
    done.then(this.#settled, this.#settled);
    return done;
  }

  /** Run a serve loop (worker/serve.ts) on a thread; rejects only if the thread died. */
  serve(task: ServeTask): Promise<unknown> {
    this.#running++;
    const done = this.#piscina.run(task, { transferList: [task.port] as any });
    done.then(this.#settled, this.#settled);
    return done;
  }

  readonly #settled = (): void => {
    this.#running--;
  };

  /** Number of threads started and alive. */
  get threadCount(): number {
    return this.#piscina.threads.length;
  }

  /** Thread ids of the live threads. */
  threadIds(): number[] {
    return this.#piscina.threads.map((w) => w.threadId);
  }

  /**
   * Terminate every thread (tasks still queued in piscina fail). With nothing in flight the
   * threads first give back their counts on shared objects (see {@link ReleaseTask}); threads
   * stopped in the middle of a task keep theirs (a bounded leak, never a use after free).
   */
  async destroy(): Promise<void> {
    if (this.#running === 0 && this.#piscina.threads.length > 0) await this.#releaseCounts();
    await this.#piscina.destroy();
    for (const id of [...this.#records.keys()]) this.#endRecord(id);
  }

  async #releaseCounts(): Promise<void> {
    const n = this.#piscina.threads.length;
    const ptr = alloc(8);
    Atomics.store(arena().i32, ptr >> 2, 0);
    const task: ReleaseTask = { k: 'release', word: ptr >> 2, n };
    await Promise.allSettled(Array.from({ length: n }, () => this.#piscina.run(task)));
    free(ptr);
  }

  #endRecord(threadId: number): void {
    const rec = this.#records.get(threadId);
    if (rec === undefined) return;
    this.#records.delete(threadId);
    finishRecord(rec);
    releaseRecord(rec); // the count its worker took for us
  }
}
