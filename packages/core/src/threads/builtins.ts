/**
 * Builtin Thread subclasses (Timer) run their own `run()` in the worker. They live in
 * threadkit itself, so instead of the user-class protocol (static module URL) they register
 * a runner by kind here.
 */
import { stateSlot } from '../thread-state.js';
import type { Thread } from './thread.js';

type BuiltinRunner = (data: unknown, thread: Thread) => Promise<void> | void;

const runners = stateSlot('builtinThreadRunners', () => new Map<string, BuiltinRunner>());

/** Register how to run a builtin thread kind in a worker. */
export function registerBuiltinThread(kind: string, run: BuiltinRunner): void {
  runners.set(kind, run);
}

/** Run a builtin thread job. */
export async function runBuiltin(
  job: { kind: string; data: unknown },
  thread: Thread,
): Promise<void> {
  const run = runners.get(job.kind);
  if (!run) throw new TypeError(`unknown builtin thread kind ${job.kind}`);
  await run(job.data, thread);
}
