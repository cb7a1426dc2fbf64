/**
 * CPython's timeout rules, in one place. Timeouts are in seconds; internally we work with
 * absolute deadlines in milliseconds (performance.now()) so that loops that wake up and wait
 * again honour the caller's *total* timeout.
 */
import { OverflowError, ValueError } from './errors.js';

/** Largest timeout (seconds) accepted by blocking calls; Python's value on Linux. */
export const TIMEOUT_MAX = 9223372036.854776;

/** A deadline in `performance.now()` milliseconds; `Infinity` waits forever. */
export type Deadline = number;

/** `performance.now()`-based deadline for a timeout in seconds (`null` = forever). */
export function deadlineAfter(timeoutSeconds: number | null | undefined): Deadline {
  if (timeoutSeconds == null) return Number.POSITIVE_INFINITY;
  return performance.now() + Math.max(0, timeoutSeconds) * 1000;
}

/** Milliseconds left until `deadline` (never negative; `Infinity` for no deadline). */
export function remainingMs(deadline: Deadline): number {
  if (deadline === Number.POSITIVE_INFINITY) return Number.POSITIVE_INFINITY;
  return Math.max(0, deadline - performance.now());
}

function checkNumber(timeout: unknown, what: string): asserts timeout is number {
  if (typeof timeout !== 'number' || Number.isNaN(timeout)) {
    throw new TypeError(`${what} must be a number or null, not ${describe(timeout)}`);
  }
}

/** Short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/**
 * `Lock.acquire` / `RLock.acquire` rules: `-1` waits forever, other negatives are a
 * ValueError, a timeout with `blocking=false` is a ValueError, above TIMEOUT_MAX an
 * OverflowError. Returns the deadline, or `null` for a non-blocking attempt.
 */
export function lockDeadline(
  blocking: boolean,
  timeout: number | null | undefined,
): Deadline | null {
  if (timeout == null) timeout = -1;
  checkNumber(timeout, 'timeout');
  if (!blocking) {
    if (timeout !== -1) throw new ValueError("can't specify a timeout for a non-blocking call");
    return null;
  }
  if (timeout < 0 && timeout !== -1) {
    throw new ValueError('timeout value must be a non-negative number');
  }
  if (timeout > TIMEOUT_MAX) throw new OverflowError('timeout value is too large');
  return timeout === -1 ? Number.POSITIVE_INFINITY : deadlineAfter(timeout);
}

/**
 * `Semaphore.acquire` rules: `null` waits forever, `<= 0` polls, a timeout with
 * `blocking=false` is a ValueError. Returns the deadline, or `null` for non-blocking.
 */
export function semaphoreDeadline(
  blocking: boolean,
  timeout: number | null | undefined,
): Deadline | null {
  if (!blocking) {
    if (timeout != null) throw new ValueError("can't specify timeout for non-blocking acquire");
    return null;
  }
  if (timeout == null) return Number.POSITIVE_INFINITY;
  checkNumber(timeout, 'timeout');
  if (timeout > TIMEOUT_MAX) throw new OverflowError('timeout value is too large');
  return deadlineAfter(timeout);
}

/**
 * Rules for `Condition.wait`, `Event.wait`, `Thread.join`, `Barrier.wait`: `null` waits
 * forever, negatives behave as 0.
 */
export function waitDeadline(timeout: number | null | undefined): Deadline {
  if (timeout == null) return Number.POSITIVE_INFINITY;
  checkNumber(timeout, 'timeout');
  if (timeout > TIMEOUT_MAX) throw new OverflowError('timeout value is too large');
  return deadlineAfter(timeout);
}

/**
 * Rules for blocking `Queue.get`/`Queue.put`: `null` waits forever, negatives are a
 * ValueError ("'timeout' must be a non-negative number").
 */
export function queueDeadline(timeout: number | null | undefined): Deadline {
  if (timeout == null) return Number.POSITIVE_INFINITY;
  checkNumber(timeout, 'timeout');
  if (timeout < 0) throw new ValueError("'timeout' must be a non-negative number");
  if (timeout > TIMEOUT_MAX) throw new OverflowError('timeout value is too large');
  return deadlineAfter(timeout);
}
