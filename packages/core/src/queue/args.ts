/**
 * Argument shapes of `put`/`get` and their async twins: Python's positional
 * `(block = true, timeout = null)` or an options object `{ block, timeout, signal }`.
 */
import { describe } from '../timeout.js';

/** Options accepted by `get`, `put` and their async twins in place of the positional arguments. */
export interface QueueWaitOptions {
  /** Wait for an item / a free place (default true). */
  block?: boolean;
  /** Seconds to wait at most; `null` waits forever. */
  timeout?: number | null;
  /** Async twins only: abandon the wait when this signal aborts. */
  signal?: AbortSignal;
}

/** Normalised arguments. */
export interface WaitArgs {
  block: boolean;
  timeout: number | null;
  signal: AbortSignal | undefined;
}

const BLOCKING: WaitArgs = Object.freeze({ block: true, timeout: null, signal: undefined });
const NON_BLOCKING: WaitArgs = Object.freeze({ block: false, timeout: null, signal: undefined });
/** The last arguments with a timeout (WaitArgs are never changed, so they can be shared). */
let lastTimed: WaitArgs = BLOCKING;

/** Accept `get()`, `get(false)`, `get(true, 0.5)`, `get({ timeout: 0.5 })`, `getAsync(true, 1, { signal })`. */
export function waitArgs(
  block: boolean | QueueWaitOptions | undefined | null,
  timeout: number | null | undefined,
  options?: QueueWaitOptions,
): WaitArgs {
  // The common calls, without allocating.
  if (options === undefined && timeout == null) {
    if (block === undefined || block === true) return BLOCKING;
    if (block === false) return NON_BLOCKING;
  }
  // `get(true, 60)` in a loop: the same arguments as last time, the same object.
  if (
    options === undefined &&
    typeof timeout === 'number' &&
    timeout === lastTimed.timeout &&
    (block === undefined || block === true || block === false) &&
    (block ?? true) === lastTimed.block
  ) {
    return lastTimed;
  }
  let signal = options?.signal;
  if (block !== null && typeof block === 'object') {
    signal = block.signal ?? signal;
    timeout = block.timeout;
    block = block.block;
  }
  if (timeout != null && (typeof timeout !== 'number' || Number.isNaN(timeout))) {
    throw new TypeError(`'timeout' must be a number or null, not ${describe(timeout)}`);
  }
  const args = { block: block == null ? true : Boolean(block), timeout: timeout ?? null, signal };
  if (signal === undefined && args.timeout !== null) lastTimed = Object.freeze(args);
  return args;
}
