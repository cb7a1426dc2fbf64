import { describe, expect, it } from 'vitest';
import { matching, runOk } from './helpers.js';

describe('distributed (not a book chapter)', () => {
  it('primes: a DistributedExecutor on two workers gives the ThreadPoolExecutor’s verdicts', async () => {
    // Starts its own redis-server and two threadkit-worker processes.
    const r = await runOk('distributed/primes', [], { timeout: 150 });
    const verdicts = matching(r.lines, / is prime: /);
    expect(verdicts).toHaveLength(15);
    expect(verdicts.at(-1)).toBe('1099726899285419 is prime: False');
    expect(verdicts.filter((l) => l.endsWith('True'))).toHaveLength(14);
    expect(r.lines).toContain('Both executors agree on all 15 verdicts: True');
    expect(r.lines).toContain('Worker processes that ran tasks: 2');
    expect(
      matching(r.lines, /^[\d.]+ Seconds Needed for ThreadPoolExecutor \(2 threads\)$/),
    ).toHaveLength(1);
    expect(
      matching(
        r.lines,
        /^[\d.]+ Seconds Needed for DistributedExecutor \(2 workers x 1 threads, via redis:/,
      ),
    ).toHaveLength(1);
  });
});
