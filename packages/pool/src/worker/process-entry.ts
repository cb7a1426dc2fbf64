/**
 * The program of a pool process (a tinypool child process): runs tasks with
 * {@link TaskRunner}. Values cross by v8 serialization (child-process IPC in 'advanced'
 * mode), so a result is checked here and a result that cannot cross fails its own future.
 */
import { serialize } from 'node:v8';
import type { Outcome, TaskMsg } from '../internal/wire.js';
import { TaskRunner } from './runner.js';

function checked(value: unknown, path: string): unknown {
  try {
    serialize(value);
  } catch (err) {
    throw new TypeError(`${path} cannot be sent to the parent process: ${(err as Error).message}`);
  }
  return value;
}

const runner = new TaskRunner({ decode: (value) => value, encode: checked });

/** The outcome of the task before: tasks run one after another, in the order they came. */
let previous: Promise<unknown> = Promise.resolve();

/**
 * tinypool's handler: one task in, one outcome out. A pool may send the next task before
 * this one ends (pool.ts: `PROCESS_DEPTH`); it starts only once this one has ended, as in a Python
 * worker process.
 */
export default function handle(task: TaskMsg): Promise<Outcome> {
  const outcome = previous.then(() => runner.run(task));
  previous = outcome.catch(() => {});
  return outcome;
}
