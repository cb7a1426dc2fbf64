/**
 * Timeouts in seconds, as in Python. `setTimeout` cannot wait longer than 2^31-1 ms, so long
 * waits are re-armed in steps.
 */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** A deadline in `performance.now()` ms for `timeout` seconds from now (null: none). */
export function deadlineAfter(timeout: number | null | undefined): number | null {
  if (timeout === null || timeout === undefined) return null;
  if (typeof timeout !== 'number' || Number.isNaN(timeout)) {
    throw new TypeError(`timeout must be a number or null, not ${typeof timeout}`);
  }
  return performance.now() + timeout * 1000;
}

/** Seconds left until `deadline` (null: no deadline); may be negative. */
export function secondsLeft(deadline: number | null): number | null {
  return deadline === null ? null : (deadline - performance.now()) / 1000;
}

/** Call `fn` at `deadline`; returns a function that cancels the call. */
export function callAt(deadline: number, fn: () => void): () => void {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    const left = deadline - performance.now();
    if (left <= 0) {
      handle = undefined;
      fn();
      return;
    }
    handle = setTimeout(arm, Math.min(Math.ceil(left), MAX_DELAY_MS));
  };
  arm();
  return () => {
    if (handle !== undefined) clearTimeout(handle);
    handle = undefined;
  };
}
