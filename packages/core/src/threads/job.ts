/** What a worker is asked to run: one thread's life. */
import type { TargetSpec } from '../targets/target.js';

export interface ThreadJob {
  /** Word index of the thread's record. */
  rec: number;
  /** What to call: a function target, a Thread-subclass instance, or nothing (`run()` no-op). */
  spec: TargetSpec | null;
  /** Positional arguments, encoded with `encodeShared`. */
  args: unknown;
  /** Keyword arguments (passed as a final argument) when given. */
  kwargs?: unknown;
  hasKwargs: boolean;
  /** A builtin subclass (Timer) to rebuild in the worker, with its own data. */
  builtin?: { kind: string; data: unknown };
}
