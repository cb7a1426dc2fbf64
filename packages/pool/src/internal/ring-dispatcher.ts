/**
 * The scheduler of a `ThreadPool` without an initializer or `maxtasksperchild`: its jobs
 * travel through the thread executors' shared-memory task path (serve-loops.ts) instead of a
 * message per task to one thread at a time (dispatcher.ts), so a burst of tiny tasks costs
 * no round trip each. Threads start with the pool (CPython starts its workers at once) and
 * pull the next job themselves; a thread that dies fails the job it ran and is replaced.
 */
import type { Job } from './dispatcher.js';
import { ServeLoops } from './serve-loops.js';
import { SpecStore } from './spec-store.js';
import { TaskWords } from './task-words.js';
import { PoolThreads } from './thread-workers.js';
import type { Outcome } from './wire.js';

/** Options of a {@link RingDispatcher}. */
export interface RingDispatcherOptions {
  size: number;
  /** Thread names: `<prefix>_<k>`, k counted in `counterWord`. */
  prefix: string;
  counterWord: number;
  /** No thread of the pool could start (the pool is broken). */
  onWorkerDied(job: null, error: unknown): void;
}

/** Schedules a thread pool's jobs through a task ring (same surface as the Dispatcher). */
export class RingDispatcher {
  readonly #threads: PoolThreads;
  readonly #loops: ServeLoops;
  readonly #words = new TaskWords();
  readonly #specs = new SpecStore();
  /** Jobs not reported yet, by task word. */
  readonly #jobs = new Map<number, Job>();
  #idleWakers: Array<() => void> = [];
  #stopped = false;
  #finished: Promise<void> | null = null;

  constructor(options: RingDispatcherOptions) {
    this.#threads = new PoolThreads({
      maxThreads: options.size,
      minThreads: options.size,
      prefix: options.prefix,
      counterWord: options.counterWord,
      onFatal: (error) => {
        if (!this.#stopped) options.onWorkerDied(null, error);
      },
    });
    this.#loops = new ServeLoops({
      max: options.size,
      threads: () => this.#threads,
      settle: (word, outcome) => this.#settle(word, outcome),
      lost: (word, error) => {
        const job = this.#forget(word);
        if (job && !this.#stopped) job.lost(error);
        this.#checkIdle();
      },
      pending: (word) => this.#jobs.has(word),
      inFlight: () => this.#jobs.size,
    });
  }

  /** Queue a job. */
  submit(job: Job): void {
    if (this.#stopped) throw new Error('dispatcher stopped');
    const word = this.#words.take();
    this.#jobs.set(word, job);
    const task = job.task;
    if (task.k === 'call' && typeof task.spec === 'object') {
      this.#loops.pushCall(word, task.spec, task.args, this.#specs);
    } else {
      this.#loops.push(word, 0, null, task); // a map chunk: the thread fetches the message
    }
  }

  /** Wait until every job has reported, then stop the threads. */
  async close(): Promise<void> {
    if (this.#jobs.size > 0) await new Promise<void>((resolve) => this.#idleWakers.push(resolve));
    if (this.#stopped) return this.#finished ?? undefined;
    this.#stopped = true;
    this.#finished = (async () => {
      await this.#loops.stop();
      await this.#threads.destroy();
      this.#dispose();
    })();
    return this.#finished;
  }

  /**
   * Stop every thread now; jobs not reported are not reported (the owner fails them). Jobs no
   * thread took are dropped (their arguments given back) once the threads are gone.
   */
  terminate(): { finished: Promise<void> } {
    if (this.#finished && this.#stopped) return { finished: this.#finished };
    this.#stopped = true;
    // A job not claimed yet never runs: a thread that takes it now sees it cancelled and
    // gives its arguments back itself; those still queued are given back below.
    for (const word of this.#jobs.keys()) this.#words.tryCancel(word);
    const ended = this.#loops.halt();
    this.#wakeIdle();
    this.#finished = (async () => {
      await this.#threads.destroy().catch(() => {});
      await ended;
      for (const word of this.#loops.abandon()) this.#jobs.get(word)?.dropped?.();
      this.#dispose();
    })();
    return { finished: this.#finished };
  }

  #dispose(): void {
    this.#jobs.clear();
    this.#loops.dispose();
    this.#words.dispose();
    this.#specs.dispose();
  }

  #forget(word: number): Job | undefined {
    const job = this.#jobs.get(word);
    if (job) {
      this.#jobs.delete(word);
      this.#words.release(word);
    }
    return job;
  }

  #settle(word: number, outcome: Outcome): void {
    const job = this.#forget(word);
    if (job && !this.#stopped && outcome.s !== 'cancelled') job.done(outcome);
    this.#checkIdle();
  }

  #checkIdle(): void {
    if (this.#jobs.size === 0) this.#wakeIdle();
  }

  #wakeIdle(): void {
    const wakers = this.#idleWakers;
    this.#idleWakers = [];
    for (const wake of wakers) wake();
  }
}
