// What pools keep in the arena is given back (issue 11): a long-running program that submits
// calls with shared arguments, cancels some, and makes and closes pools stays flat. Run in a
// child process with --expose-gc and THREADKIT_DEBUG_MEMORY=1 (a use after free is an error).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers.js';

describe('pools give back what they keep in the arena', () => {
  it('12 000 calls with a Lock each (a third cancelled), 12 executors + ThreadPools made and closed, 12 ThreadPools terminated with calls queued: flat', () => {
    const r = spawnSync(process.execPath, ['--expose-gc', 'lifetime-loop.mjs', '12000', '12'], {
      cwd: FIXTURES,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NODE_OPTIONS: '', THREADKIT_DEBUG_MEMORY: '1' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    // Warm-up 1200 calls + 12 000, in batches of 300: 100 cancelled, 200 run in each.
    expect(out.ran).toBe(8800);
    expect(out.cancelled).toBe(4400);
    expect(out.poolsOk).toBe(2 * out.pools);
    // Before: every cancelled call's Lock, every closed pool's initargs and its threads'
    // handles stayed (thousands of Locks here).
    expect(out.after.Lock).toBeLessThanOrEqual(out.before.Lock + 16);
    // Everything closed: no Lock is left, not even those of calls still queued when their
    // ThreadPool was terminated (before the task ring gave them back: 20 a pool).
    expect(out.after.Lock).toBeLessThanOrEqual(16);
    expect(out.after.used - out.before.used).toBeLessThanOrEqual(64 * 1024);
    // While the executor is open (its threads may not have collected their last handles yet);
    // before, its spec store kept one block per inline arrow submitted (≈ 3 MB here).
    expect(out.open.used - out.before.used).toBeLessThanOrEqual(256 * 1024);
  }, 120_000);
});
