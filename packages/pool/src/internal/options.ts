/** Checks of constructor options shared by the executors and pools (CPython's messages). */
import { availableParallelism } from 'node:os';
import { ValueError } from '@threadkit/core';

/** `min(32, cpus + 4)`: ThreadPoolExecutor's default, as in CPython. */
export function defaultThreadWorkers(): number {
  return Math.min(32, availableParallelism() + 4);
}

/** The number of CPUs: process pools' default (CPython's `os.process_cpu_count()`). */
export function cpuCount(): number {
  return availableParallelism();
}

/** `maxWorkers`: a positive integer, or null/undefined for `fallback`. */
export function checkMaxWorkers(value: unknown, fallback: () => number): number {
  if (value === null || value === undefined) return fallback();
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`max_workers must be an integer, not ${typeof value}`);
  }
  if (value <= 0) throw new ValueError('max_workers must be greater than 0');
  return value;
}

/** `initializer`: a callable (any target form) or null. */
export function checkInitializer(value: unknown): void {
  if (value === null || value === undefined) return;
  const callable =
    typeof value === 'function' ||
    (typeof value === 'object' && typeof (value as { run?: unknown }).run === 'function');
  if (!callable) throw new TypeError('initializer must be a callable');
}

/** `initargs`: an array. */
export function checkInitargs(value: unknown): readonly unknown[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError('initargs must be an array');
  return value;
}

/** Options objects: a plain object, or a number standing for the first Python parameter. */
export function optionsObject<T extends object>(
  options: T | number | null | undefined,
  firstKey: keyof T,
): T {
  if (options === null || options === undefined) return {} as T;
  if (typeof options === 'number') return { [firstKey]: options } as T;
  if (typeof options !== 'object') throw new TypeError('expected an options object');
  return options;
}
