/** Statistics over raw samples, for the custom timing loops. */
import type { Stats } from './types.js';

/** Linear-interpolated quantile of sorted samples (q in [0, 1]). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Mean, p50, p99, min, max of `samples`, each multiplied by `scale` (unit conversion). */
export function summarize(samples: ArrayLike<number>, scale = 1): Stats {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i];
  return {
    mean: (sum / sorted.length) * scale,
    p50: quantile(sorted, 0.5) * scale,
    p99: quantile(sorted, 0.99) * scale,
    min: sorted[0] * scale,
    max: sorted[sorted.length - 1] * scale,
    samples: sorted.length,
  };
}

/** Median of a few repeated measurements. */
export function median(values: number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/**
 * `items` in a pseudo-random order that depends only on `seed` (run k of an interleaved
 * benchmark uses seed k): rotating a fixed order would keep every variant behind the same
 * neighbour, and a neighbour can leave the machine in a state (CPUs awake or idle, a pool
 * still winding down) that biases the next variant.
 */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = (seed * 2654435761 + 1013904223) >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Sleep without blocking the event loop. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
