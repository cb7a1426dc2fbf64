/**
 * Test helpers for the synchronisation primitives: start bunches of real threads, share
 * counters with them, and wait for conditions without relying on sleeps.
 *
 * Inline targets must be self-contained. Under vitest, `import()` inside a target is rewritten
 * to a helper that does not exist in the worker, so targets here take everything (primitives,
 * SharedArrayBuffer views) through `args` and never import.
 */

import { Thread } from '@threadkit/core';
import { expect } from 'vitest';

/** An Int32Array over fresh shared memory (zeroed). */
export function shared(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

/** Start `n` daemon threads running `target(i, ...args)`; daemon so a failed test cannot hang the run. */
export function bunch(n: number, target: (...args: any[]) => unknown, args: unknown[]): Thread[] {
  const threads: Thread[] = [];
  for (let i = 0; i < n; i++) {
    const t = new Thread({ target, args: [i, ...args], daemon: true });
    t.start();
    threads.push(t);
  }
  return threads;
}

/** Join every thread (without blocking the event loop) and check that all ended. */
export async function joinAll(threads: Thread[], timeoutSeconds = 30): Promise<void> {
  for (const t of threads) await t.joinAsync(timeoutSeconds);
  for (const t of threads) expect(t.isAlive()).toBe(false);
}

/** Poll `predicate` (cheaply, without blocking the event loop) until it holds. */
export async function until(
  predicate: () => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Let other threads run for a moment (only to give a wrong implementation a chance to show). */
export function pause(ms = 50): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** CPython's assertTimeout: at least 0.6× the timeout, less than 10×. */
export function expectTimeout(actualSeconds: number, expectedSeconds: number): void {
  expect(actualSeconds).toBeGreaterThanOrEqual(expectedSeconds * 0.6);
  expect(actualSeconds).toBeLessThan(expectedSeconds * 10);
}
