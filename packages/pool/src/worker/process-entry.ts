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

/** tinypool's handler: one task in, one outcome out. */
export default function handle(task: TaskMsg): Promise<Outcome> {
  return runner.run(task);
}
