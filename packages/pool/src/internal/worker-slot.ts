/**
 * What the Dispatcher (dispatcher.ts) runs jobs on: a worker slot, one worker (a child
 * process, or a pool thread) that runs the tasks it is sent one after another.
 */
import type { Outcome, TaskMsg } from './wire.js';

/** One worker running one task at a time. */
export interface WorkerSlot {
  /** Run a task; rejects only if the worker died (crash, `process.exit()`, a kill). */
  run(task: TaskMsg): Promise<Outcome>;
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
