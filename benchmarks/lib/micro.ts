/**
 * Micro-benchmarks with tinybench. An operation that takes a few nanoseconds cannot be timed one
 * call at a time (a clock read costs more than the operation), so each tinybench iteration runs
 * a batch of `batch` operations, timed as a whole, and reports the batch's mean per operation as
 * its sample (`overriddenDuration`).
 *
 * The tasks are interleaved: `rounds` rounds each run every task for `batches / rounds` samples,
 * so a burst of load from elsewhere on the machine hits all tasks alike instead of one. The
 * headline value is the median batch (p50); mean, p99 and ops/s (from the mean) are kept too.
 */
import { Bench } from 'tinybench';
import { summarize } from './stats.js';
import type { Figure, Source } from './types.js';

export interface MicroTask {
  id: string;
  label: string;
  source?: Source;
  /** Runs `n` operations. Write the loop inside, so each task gets its own inline caches. */
  loop: (n: number) => void;
  note?: string;
}

export interface MicroOptions {
  /** Operations per sample. */
  batch: number;
  /** Samples (timed batches) per task, in total. */
  batches: number;
  /** Untimed batches run first in each round (JIT warm-up). */
  warmupBatches: number;
  /** Rounds the batches are spread over (default 4). */
  rounds?: number;
}

/** Run `tasks` interleaved and return one figure per task, in ns per operation. */
export async function microBench(tasks: MicroTask[], opts: MicroOptions): Promise<Figure[]> {
  const rounds = Math.max(1, Math.min(opts.rounds ?? 4, opts.batches));
  const samples = new Map<string, number[]>(tasks.map((t) => [t.id, []]));
  for (let r = 0; r < rounds; r++) {
    const bench = new Bench({
      // Fixed iteration counts (the CPython scripts run the same number of batches).
      time: 0,
      iterations: Math.ceil(opts.batches / rounds),
      warmup: true,
      warmupTime: 0,
      warmupIterations: opts.warmupBatches,
      retainSamples: true,
      throws: true,
    });
    for (const t of tasks) {
      const { loop } = t;
      const n = opts.batch;
      bench.add(t.label, () => {
        const t0 = performance.now();
        loop(n);
        const ms = performance.now() - t0;
        return { overriddenDuration: ms / n, overriddenIterationCost: ms };
      });
    }
    await bench.run();
    for (const t of tasks) {
      const r = bench.getTask(t.label)!.result;
      if (r.state !== 'completed' || !r.latency.samples) {
        throw new Error(
          `${t.label}: benchmark ${r.state}${'error' in r ? `: ${String(r.error)}` : ''}`,
        );
      }
      samples.get(t.id)!.push(...r.latency.samples);
    }
  }
  return tasks.map((t) => {
    const stats = summarize(samples.get(t.id)!, 1e6); // ms → ns per operation
    stats.opsPerSec = 1e9 / stats.mean!;
    stats.ops = stats.samples! * opts.batch;
    return {
      id: t.id,
      label: t.label,
      source: t.source ?? 'threadkit',
      value: stats.p50!,
      unit: 'ns/op',
      stats,
      note: t.note,
    } satisfies Figure;
  });
}
