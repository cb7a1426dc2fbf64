/**
 * Argument shapes of the waiting calls (`Condition.wait`, `Event.wait`, `Barrier.wait` and
 * their async twins): Python's positional `timeout`, or an options object
 * `{ timeout, signal }`, or both (`waitAsync(0.5, { signal })`).
 */
export interface WaitOptions {
  /** Seconds; `null`/`undefined` waits forever. */
  timeout?: number | null;
  /** Async twins only: abandon the wait when this signal aborts. */
  signal?: AbortSignal;
}

/** Normalised {@link WaitOptions}. */
export interface NormalisedWait {
  timeout: number | null | undefined;
  signal: AbortSignal | undefined;
}

/** Accept `wait()`, `wait(0.5)`, `wait({ timeout: 0.5, signal })` and `wait(0.5, { signal })`. */
export function waitArgs(
  timeout: number | null | undefined | WaitOptions,
  options: WaitOptions | undefined,
): NormalisedWait {
  if (timeout !== null && typeof timeout === 'object') {
    return { timeout: timeout.timeout, signal: timeout.signal ?? options?.signal };
  }
  return { timeout, signal: options?.signal };
}
