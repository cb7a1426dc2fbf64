/**
 * The worker slots of each kind: child processes (process-slot.ts) and pool threads.
 * The dispatcher of process executors and of `Pool`/`ThreadPool` owns a set of slots, so it
 * always knows which worker runs what: which future a crash breaks, when a worker has done
 * `maxtasksperchild` tasks and must be replaced.
 */
import type { TargetSpec } from '@threadkit/core/internal';
import { ProcessSlot } from './process-slot.js';
import { PoolThreads } from './thread-workers.js';
import type { TaskMsg } from './wire.js';
import type { SlotFactory } from './worker-slot.js';

export type { SlotFactory, WorkerSlot } from './worker-slot.js';

/**
 * Slots that are child processes (process-slot.ts); the Dispatcher's `depth` says how many
 * tasks each is sent at once.
 */
export function processSlots(): SlotFactory {
  return () => new ProcessSlot();
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
