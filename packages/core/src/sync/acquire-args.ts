/**
 * Argument shapes shared by every lockable: Python's positional `(blocking, timeout)` and the
 * options-object form `({ blocking, timeout, signal })`.
 */
export interface AcquireOptions {
  /** Wait for the lock (default true); false: take it only if free. */
  blocking?: boolean;
  /** Seconds to wait at most; -1 or null: forever (CPython's rules). */
  timeout?: number | null;
  /** Async twins only: abandon the wait when this signal aborts. */
  signal?: AbortSignal;
}

export interface NormalisedAcquire {
  blocking: boolean;
  timeout: number | null | undefined;
  signal: AbortSignal | undefined;
}

/** Accept `acquire()`, `acquire(false)`, `acquire(true, 0.5)` and `acquire({ timeout: 0.5 })`. */
export function acquireArgs(
  blocking: boolean | AcquireOptions | undefined,
  timeout: number | null | undefined,
): NormalisedAcquire {
  if (blocking !== null && typeof blocking === 'object') {
    return {
      blocking: blocking.blocking ?? true,
      timeout: blocking.timeout,
      signal: blocking.signal,
    };
  }
  if (blocking !== undefined && typeof blocking !== 'boolean') {
    throw new TypeError(`blocking must be a boolean, not ${typeof blocking}`);
  }
  return { blocking: blocking ?? true, timeout, signal: undefined };
}
