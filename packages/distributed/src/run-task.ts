/**
 * What a worker's local pool thread (or process) runs for a job: resolve the target spec in
 * this thread, then make the call, or the calls of a map chunk.
 */
import { threadable } from '@threadkit/core';
import { explainInlineError, resolveTarget, type TargetSpec } from '@threadkit/core/internal';

/** Run `spec` with `args` ('call'), or with each args tuple of `input` ('chunk'). */
export const runTask = threadable(
  import.meta.url,
  async function runTask(spec: TargetSpec, k: 'call' | 'chunk', input: unknown[]) {
    try {
      const fn = await resolveTarget(spec);
      if (k === 'call') return await fn(...input);
      const results: unknown[] = [];
      for (const args of input as unknown[][]) results.push(await fn(...args));
      return results;
    } catch (err) {
      throw explainInlineError(err, spec);
    }
  },
  'threadkit.distributed.runTask',
);
