/**
 * The owner-side scheduler of process executors and of `Pool`/`ThreadPool`: a FIFO of jobs
 * handed one at a time to worker slots. Workers start on demand (executors) or all at once
 * (pools), run the initializer first, and are replaced after `maxTasksPerWorker` tasks.
 * What a failing initializer or a dying worker means is the owner's decision (callbacks).
 */

import type { InitTask, Outcome, TaskMsg } from './wire.js';
import { type SlotFactory, type SlotReport, WorkerDied, type WorkerSlot } from './worker-slot.js';

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
  /**
   * Jobs handed to one worker at a time (default 1). Above 1 the next job already waits in
   * the worker while it runs one (it runs them in order), so a burst of tiny jobs does not
   * pay a round trip each; a worker that dies fails the job it ran, the others go back first
   * in the queue (unless it cannot say which it ran, a `WorkerDied` that is `unsure`: then
   * they all fail, so that none runs twice).
   */
  depth?: number;
  /**
   * With `depth` above 2: a worker is sent more than 2 jobs only while it reports outcomes
   * within this many milliseconds (it has reported since it last went busy, and less than
   * that long ago). Tiny jobs keep a deep pipeline (no round trip between
   * them); a worker busy on a long job is sent at most 2, so few jobs wait behind it while
   * other workers may be free. Default: no limit.
   */
  flowingMs?: number;
  /** The initializer failed in a worker (the worker is gone). */
  onInitFailed(error: unknown): void;
  /** A worker died: while running `job` (once for each job lost), or while starting (`job` null). */
  onWorkerDied(job: Job | null, error: unknown): void;
}

type WorkerStateName = 'starting' | 'idle' | 'busy' | 'gone';

interface Worker {
  slot: WorkerSlot;
  state: WorkerStateName;
  tasks: number;
  /** Jobs handed to it and not reported yet, oldest (the one it runs) first. */
  jobs: Job[];
  /** When it last reported an outcome. */
  reportedAt: number;
  /**
   * When it was last handed a job while it had none. It counts as flowing (`flowingMs`) only
   * once it has reported since, so the jobs submitted right behind a long one do not pile up
   * behind it.
   */
  busySince: number;
  /** Where its slot reports the jobs it was sent (made once per worker). */
  report: SlotReport<Job>;
}

/** Schedules jobs on worker slots. */
export class Dispatcher {
  readonly #opts: DispatcherOptions;
  #queue: Job[] = [];
  #head = 0;
  #workers: Worker[] = [];
  #stopped = false;
  #idleWakers: Array<() => void> = [];
  readonly #begun = new WeakSet<Job>();

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
      left.push(...w.jobs);
      w.jobs = [];
      w.state = 'gone';
    }
    this.#wakeIdle();
    const finished = Promise.allSettled(workers.map((w) => w.slot.destroy())).then(() => {});
    return { left, finished };
  }

  #isIdle(): boolean {
    return this.queued === 0 && !this.#workers.some((w) => w.jobs.length > 0);
  }

  #wakeIdle(): void {
    const wakers = this.#idleWakers;
    this.#idleWakers = [];
    for (const wake of wakers) wake();
  }

  #start(): void {
    const w: Worker = {
      slot: this.#opts.slots(),
      state: 'starting',
      tasks: 0,
      jobs: [],
      reportedAt: 0,
      busySince: 0,
      report: {
        done: (job, outcome) => this.#done(w, job, outcome),
        died: (job, err) => this.#died(w, job, err),
      },
    };
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
    w.jobs = [];
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
      const idle = this.#readyWorker();
      if (!idle) {
        const starting = this.#workers.filter((w) => w.state === 'starting').length;
        if (this.#workers.length < this.#opts.size && starting < this.queued) {
          this.#start();
          continue;
        }
        break;
      }
      const job = this.#take() as Job;
      // A job put back after its worker died has begun already.
      if (this.#begun.has(job) || job.begin()) {
        this.#begun.add(job);
        this.#run(idle, job);
      }
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

  /**
   * A worker that can take a job now: the least loaded one under the depth (2 for one that
   * has not reported for `flowingMs`), and under the tasks it may still run
   * (`maxTasksPerWorker` counts the jobs handed to it).
   */
  #readyWorker(): Worker | undefined {
    const depth = this.#opts.depth ?? 1;
    const flowingMs = this.#opts.flowingMs;
    const max = this.#opts.maxTasksPerWorker;
    let now = -1;
    let best: Worker | undefined;
    for (const w of this.#workers) {
      if (w.state !== 'idle' && w.state !== 'busy') continue;
      const load = w.jobs.length;
      if (load >= depth || (max !== null && w.tasks + load >= max)) continue;
      if (load >= 2 && flowingMs !== undefined) {
        if (now < 0) now = performance.now();
        if (w.reportedAt <= w.busySince || now - w.reportedAt > flowingMs) continue;
      }
      if (!best || load < best.jobs.length) best = w;
      if (load === 0) break;
    }
    return best;
  }

  #run(w: Worker, job: Job): void {
    w.state = 'busy';
    if (w.jobs.length === 0 && this.#opts.flowingMs !== undefined) w.busySince = performance.now();
    w.jobs.push(job);
    if (w.slot.send) w.slot.send(job.task, job, w.report);
    else {
      w.slot.run(job.task).then(
        (outcome) => this.#done(w, job, outcome),
        (err) => this.#died(w, job, err),
      );
    }
  }

  /** `w` reported how `job` ended. */
  #done(w: Worker, job: Job, outcome: Outcome): void {
    if (w.state === 'gone') return;
    const at = w.jobs.indexOf(job);
    if (at >= 0) w.jobs.splice(at, 1);
    w.tasks += 1;
    if (this.#opts.flowingMs !== undefined) w.reportedAt = performance.now();
    const max = this.#opts.maxTasksPerWorker;
    if (max !== null && w.tasks >= max) this.#remove(w);
    else if (w.jobs.length === 0) w.state = 'idle';
    job.done(outcome);
    this.#pump();
  }

  /** `w` died before it reported `job` (and whatever it was sent after it). */
  #died(w: Worker, job: Job, err: unknown): void {
    if (w.state === 'gone') return;
    const unreported = w.jobs.length > 0 ? w.jobs : [job];
    this.#remove(w);
    if (err instanceof WorkerDied && err.unsure) {
      // Which of them it ran is not known: none may run twice, so they are all lost.
      for (const lost of unreported) this.#opts.onWorkerDied(lost, err);
    } else {
      // The oldest job not reported is the one it ran; the others never started (a worker
      // runs its jobs in order): they go back to the head of the queue, in order.
      const [lost, ...waiting] = unreported;
      if (waiting.length > 0) this.#queue.splice(this.#head, 0, ...waiting);
      this.#opts.onWorkerDied(lost, err);
    }
    this.#pump();
  }
}
