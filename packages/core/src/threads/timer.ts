/**
 * `threading.Timer`: a thread that calls a function after `interval` seconds unless
 * `cancel()` is called first. The function follows the target rules (docs/CONTRACT.md §2).
 */
import { decodeShared, encodeShared } from '../shared/protocol.js';
import { Event } from '../sync/event.js';
import {
  encodeFunction,
  explainInlineError,
  resolveTarget,
  type TargetSpec,
} from '../targets/target.js';
import { registerBuiltinThread } from './builtins.js';
import { Thread } from './thread.js';

interface TimerJob {
  interval: number;
  finished: Event;
  spec: TargetSpec;
  args: unknown[];
  kwargs: Record<string, unknown> | null;
}

/**
 * Call `fn(...args)` (plus `kwargs` as a final argument when given) in a new thread after
 * `interval` seconds:
 * ```ts
 * const t = new Timer(30, () => console.log('hello, world'));
 * t.start(); // after 30 seconds, "hello, world" will be printed
 * ```
 */
export class Timer extends Thread {
  /** Seconds to wait before calling the function. */
  declare readonly interval: number;
  /** The function to call. */
  declare readonly function: (...args: any[]) => unknown;
  /** Its positional arguments. */
  declare readonly args: unknown[];
  /**
   * Its keyword arguments: a fresh `{}` when none were given, as in Python. They are passed as
   * a final argument when they were given or are not empty (Python's `**kwargs` of an empty
   * dict passes nothing).
   */
  declare readonly kwargs: Record<string, unknown>;
  /** Set when the timer fires or is cancelled. */
  declare readonly finished: Event;
  #kwargsGiven: boolean;

  constructor(
    interval: number,
    fn: (...args: any[]) => unknown,
    args: unknown[] | null = null,
    kwargs: Record<string, unknown> | null = null,
  ) {
    super();
    if (typeof interval !== 'number' || Number.isNaN(interval)) {
      throw new TypeError(`interval must be a number of seconds, not ${typeof interval}`);
    }
    if (typeof fn !== 'function')
      throw new TypeError(`function must be a function, not ${typeof fn}`);
    this.#kwargsGiven = kwargs != null;
    // Own fields would be copied as a subclass's fields; keep them non-enumerable.
    Object.defineProperties(this, {
      interval: { value: interval, enumerable: false },
      function: { value: fn, enumerable: false },
      args: { value: args ?? [], enumerable: false },
      kwargs: { value: kwargs ?? {}, enumerable: false },
      finished: { value: new Event(), enumerable: false },
    });
  }

  /** The kwargs to pass as a final argument, or null to pass none. */
  #passedKwargs(): Record<string, unknown> | null {
    return this.#kwargsGiven || Object.keys(this.kwargs).length > 0 ? this.kwargs : null;
  }

  /** Stop the timer if it has not fired yet (harmless afterwards). */
  cancel(): void {
    this.finished.set();
  }

  /** @internal */
  override _builtinJob(): { kind: string; data: unknown } {
    return {
      kind: 'timer',
      data: encodeShared(
        {
          interval: this.interval,
          finished: this.finished,
          spec: encodeFunction(this.function, 'function'),
          args: this.args,
          kwargs: this.#passedKwargs(),
        },
        'timer',
      ),
    };
  }

  /** Runs in the timer's thread: wait, then call unless cancelled. */
  override run(): unknown {
    this.finished.wait(this.interval);
    if (!this.finished.isSet()) {
      const fn = this.function;
      const kwargs = this.#passedKwargs();
      kwargs != null ? fn(...this.args, kwargs) : fn(...this.args);
    }
    this.finished.set();
    return undefined;
  }
}

registerBuiltinThread('timer', async (data) => {
  const job = decodeShared(data) as TimerJob;
  try {
    await job.finished.waitAsync(job.interval);
    if (!job.finished.isSet()) {
      const fn = await resolveTarget(job.spec);
      try {
        await (job.kwargs != null ? fn(...job.args, job.kwargs) : fn(...job.args));
      } catch (err) {
        throw explainInlineError(err, job.spec);
      }
    }
  } finally {
    job.finished.set();
  }
});
