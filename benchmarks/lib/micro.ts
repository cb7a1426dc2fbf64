/**
 * Micro-benchmarks with tinybench. An operation that takes a few nanoseconds cannot be timed one
 * call at a time (a clock read costs more than the operation), so each tinybench iteration runs
 * a batch of `batch` operations, timed as a whole, and reports the batch's mean per operation as
 * its sample (`overriddenDuration`). Mean, p50 and p99 are therefore over batch means.
 */
import { Bench } from 'tinybench';
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
  /** Samples (timed batches) per task. */
  batches: number;
  /** Untimed batches run first (JIT warm-up). */
  warmupBatches: number;
}

/** Run `tasks` one after the other and return one figure per task, in ns per operation. */
export async function microBench(tasks: MicroTask[], opts: MicroOptions): Promise<Figure[]> {
  const bench = new Bench({
    // Fixed iteration counts (the CPython scripts run the same number of batches).
    time: 0,
    iterations: opts.batches,
    warmup: true,
    warmupTime: 0,
    warmupIterations: opts.warmupBatches,
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
  return tasks.map((t) => {
    const task = bench.getTask(t.label)!;
    const r = task.result;
    if (r.state !== 'completed') {
      throw new Error(
        `${t.label}: benchmark ${r.state}${'error' in r ? `: ${String(r.error)}` : ''}`,
      );
    }
    const lat = r.latency; // ms per operation
    const ns = 1e6;
    return {
      id: t.id,
      label: t.label,
      source: t.source ?? 'threadkit',
      value: lat.mean * ns,
      unit: 'ns/op',
      stats: {
        mean: lat.mean * ns,
        p50: lat.p50 * ns,
        p99: lat.p99 * ns,
        min: lat.min * ns,
        max: lat.max * ns,
        rme: lat.rme,
        opsPerSec: 1000 / lat.mean,
        samples: lat.samplesCount,
        ops: lat.samplesCount * opts.batch,
      },
      note: t.note,
    } satisfies Figure;
  });
}
