/** One side of a tiny-task comparison (pool-tiny-tasks, distributed): a burst and a round trip. */
import type { Executor } from '@threadkit/pool';
import type { Figure } from './types.js';

export interface TaskSide {
  id: string;
  label: string;
  source: Figure['source'];
  /** Run `n` tasks concurrently and wait for all. */
  burst(n: number): Promise<void>;
  /** Run one task and wait for it. */
  one(x: number): Promise<unknown>;
  close(): Promise<void>;
}

const inc = (x: number) => x + 1;

/** A side that submits `x => x + 1` to an executor and awaits each future's result. */
export function executorSide(
  ex: Executor,
  side: Pick<TaskSide, 'id' | 'label' | 'source' | 'close'>,
): TaskSide {
  return {
    ...side,
    async burst(n) {
      const fs = new Array(n);
      for (let i = 0; i < n; i++) fs[i] = ex.submit(inc, i);
      for (let i = 0; i < n; i++) await fs[i].result();
    },
    one: (x) => ex.submit(inc, x).result(),
  };
}
