/**
 * What the Dispatcher (dispatcher.ts) runs jobs on: a worker slot, one worker (a child
 * process, or a pool thread) that runs the tasks it is sent one after another.
 */
import type { Outcome, TaskMsg } from './wire.js';

/** Where a slot reports the tasks handed to it by {@link WorkerSlot.send}, each by its tag. */
export interface SlotReport<T> {
  /** The worker reported how the task ended. */
  done(tag: T, outcome: Outcome): void;
  /** The worker died before it reported the task. */
  died(tag: T, error: unknown): void;
}

/** One worker running one task at a time. */
export interface WorkerSlot {
  /** Run a task; rejects only if the worker died (crash, `process.exit()`, a kill). */
  run(task: TaskMsg): Promise<Outcome>;
  /**
   * As `run`, reported through `report` with `tag`: no Promise and no closure a task (a
   * process slot takes tens of thousands a second). Optional; the Dispatcher prefers it.
   */
  send?<T>(task: TaskMsg, tag: T, report: SlotReport<T>): void;
  /** Stop the worker (a running task is abandoned). */
  destroy(): Promise<void>;
}

/**
 * Why a slot's tasks fail when its worker died. `unsure`: the worker may have run some of
 * the tasks it had not reported (a process killed by a signal cannot say what it finished),
 * so none of them may be run again; otherwise only the oldest one was running.
 */
export class WorkerDied extends Error {
  /** Whether the tasks it had not reported may have run. */
  readonly unsure: boolean;

  constructor(message: string, unsure: boolean, options?: ErrorOptions) {
    super(message, options);
    this.unsure = unsure;
  }
}

/** Makes worker slots of one kind. */
export type SlotFactory = () => WorkerSlot;
