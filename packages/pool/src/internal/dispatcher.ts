/**
 * The owner-side scheduler of process executors and of `Pool`/`ThreadPool`: a FIFO of jobs
 * handed one at a time to worker slots. Workers start on demand (executors) or all at once
 * (pools), run the initializer first, and are replaced after `maxTasksPerWorker` tasks.
 * What a failing initializer or a dying worker means is the owner's decision (callbacks).
 */
import type { SlotFactory, WorkerSlot } from './slots.js';
import type { InitTask, Outcome, TaskMsg } from './wire.js';

/** A unit of work and how its end is reported to its owner. */
export interface Job {
  task: TaskMsg;
  /** Whether it was cancelled while queued (it is then dropped). */
  cancelled(): boolean;
  /** A worker takes it now; false if it was cancelled meanwhile (it is dropped). */
  begin(): boolean;
  /** The worker reported how it ended. */
  done(outcome: Outcome): void;
  /** The worker died while running it (or the dispatcher was terminated). */
  lost(error: unknown): void;
  /** Terminated while still queued: it was never sent (its arguments can be given back). */
  dropped?(): void;
}

/** Options of a {@link Dispatcher}. */
export interface DispatcherOptions {
  /** Most workers at once. */
  size: number;
  slots: SlotFactory;
  init: InitTask | null;
  /** Replace a worker after this many tasks (null: never). */
  maxTasksPerWorker: number | null;
  /** Start every worker now and keep `size` of them (pools), rather than on demand. */
  eager: boolean;
  /** The initializer failed in a worker (the worker is gone). */
  onInitFailed(error: unknown): void;
  /** A worker died: while running `job`, or while starting (`job` null). */
  onWorkerDied(job: Job | null, error: unknown): void;
}

type WorkerStateName = 'starting' | 'idle' | 'busy' | 'gone';

interface Worker {
  slot: WorkerSlot;
  state: WorkerStateName;
  tasks: number;
  job: Job | null;
}

/** Schedules jobs on worker slots. */
export class Dispatcher {
  readonly #opts: DispatcherOptions;
  #queue: Job[] = [];
  #head = 0;
  #workers: Worker[] = [];
  #stopped = false;
  #idleWakers: Array<() => void> = [];

  constructor(options: DispatcherOptions) {
    this.#opts = options;
    if (options.eager) for (let i = 0; i < options.size; i++) this.#start();
  }

  /** Jobs queued and not yet handed to a worker. */
  get queued(): number {
    return this.#queue.length - this.#head;
  }

  /** Queue a job. */
  submit(job: Job): void {
    if (this.#stopped) throw new Error('dispatcher stopped');
    this.#queue.push(job);
    this.#pump();
  }

  /** The queued jobs, in order (for cancelling them). */
  queuedJobs(): Job[] {
    return this.#queue.slice(this.#head);
  }

  /** Resolves once no job is queued or running. */
  whenIdle(): Promise<void> {
    this.#pump();
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWakers.push(resolve));
  }

  /** Wait until idle, then stop every worker. */
  async close(): Promise<void> {
    await this.whenIdle();
    await this.terminate().finished;
  }

  /**
   * Stop every worker now. The jobs still queued or running are returned, not reported: the
   * owner decides what they become. `finished` resolves once the workers are gone.
   */
  terminate(): { left: Job[]; finished: Promise<void> } {
    this.#stopped = true;
    const left = this.#queue.slice(this.#head);
    for (const job of left) job.dropped?.();
    this.#queue = [];
    this.#head = 0;
    const workers = this.#workers;
    this.#workers = [];
    for (const w of workers) {
      if (w.job) left.push(w.job);
      w.job = null;
      w.state = 'gone';
    }
    this.#wakeIdle();
    const finished = Promise.allSettled(workers.map((w) => w.slot.destroy())).then(() => {});
    return { left, finished };
  }

  #isIdle(): boolean {
    return this.queued === 0 && !this.#workers.some((w) => w.state === 'busy');
  }

  #wakeIdle(): void {
    const wakers = this.#idleWakers;
    this.#idleWakers = [];
    for (const wake of wakers) wake();
  }

  #start(): void {
    const w: Worker = { slot: this.#opts.slots(), state: 'starting', tasks: 0, job: null };
    this.#workers.push(w);
    const init = this.#opts.init;
    const ready: Promise<Outcome | null> = init ? w.slot.run(init) : Promise.resolve(null);
    ready.then(
      (outcome) => {
        if (w.state === 'gone') return;
        if (outcome && outcome.s !== 'ok') {
          this.#remove(w);
          this.#opts.onInitFailed(
            outcome.s === 'init-failed' || outcome.s === 'err' ? outcome.e : null,
          );
        } else {
          w.state = 'idle';
        }
        this.#pump();
      },
      (err) => {
        if (w.state === 'gone') return;
        this.#remove(w);
        this.#opts.onWorkerDied(null, err);
        this.#pump();
      },
    );
  }

  /** Take `w` out of service and stop it in the background. */
  #remove(w: Worker): void {
    w.state = 'gone';
    w.job = null;
    const i = this.#workers.indexOf(w);
    if (i >= 0) this.#workers.splice(i, 1);
    w.slot.destroy().catch(() => {});
  }

  #pump(): void {
    if (this.#stopped) return;
    for (;;) {
      // Jobs cancelled while queued leave the queue without a worker.
      while (this.queued > 0 && this.#queue[this.#head].cancelled()) this.#take()?.begin();
      if (this.queued === 0) break;
      const idle = this.#workers.find((w) => w.state === 'idle');
      if (!idle) {
        const starting = this.#workers.filter((w) => w.state === 'starting').length;
        if (this.#workers.length < this.#opts.size && starting < this.queued) {
          this.#start();
          continue;
        }
        break;
      }
      const job = this.#take() as Job;
      if (job.begin()) this.#run(idle, job);
    }
    if (this.#opts.eager) while (this.#workers.length < this.#opts.size) this.#start();
    if (this.#isIdle()) this.#wakeIdle();
  }

  #take(): Job | undefined {
    if (this.#head >= this.#queue.length) return undefined;
    const job = this.#queue[this.#head];
    this.#queue[this.#head++] = undefined as unknown as Job;
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return job;
  }

  #run(w: Worker, job: Job): void {
    w.state = 'busy';
    w.job = job;
    w.slot.run(job.task).then(
      (outcome) => {
        if (w.state === 'gone') return;
        w.job = null;
        w.tasks += 1;
        const max = this.#opts.maxTasksPerWorker;
        if (max !== null && w.tasks >= max) this.#remove(w);
        else w.state = 'idle';
        job.done(outcome);
        this.#pump();
      },
      (err) => {
        if (w.state === 'gone') return;
        this.#remove(w);
        this.#opts.onWorkerDied(job, err);
        this.#pump();
      },
    );
  }
}
