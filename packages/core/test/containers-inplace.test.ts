// SharedDict's lock-free in-place replace (containers/table.ts replacePlain, pins.ts): under
// contention a value is replaced without the table's mutex. The fixture races it in real
// threads against deletes, reinserts, rebuilds, update/setdefault/pop, snapshots, readers
// and clear, with THREADKIT_DEBUG_MEMORY=1 (a write into freed memory throws), and checks
// every value read was written whole, the exact final state, and that the replaced values'
// memory was given back.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNodeAsync } from './helpers.js';

describe('SharedDict in-place replace across threads', () => {
  it('stays atomic against deletes, rebuilds, snapshots and clear, and frees what it replaces', async () => {
    const r = await runNodeAsync([join('containers', 'inplace-stress.mjs')], {
      timeoutMs: 240_000,
      env: { THREADKIT_DEBUG_MEMORY: '1' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [churn, hot, clear] = r.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    for (const s of [churn, hot, clear]) {
      expect(s.alive).toBe(0);
      expect(s.bad).toBe(0); // every value read (get, snapshot) was one written whole
      expect(s.wrong).toBe(0); // each key holds its writer's last value
      expect(s.size).toBe(true); // exactly the writers' keys
      expect(s.reads).toBeGreaterThanOrEqual(2000);
      // The lock-free path really ran (threads that find the mutex contended take it).
      expect(s.inPlace).toBeGreaterThan(100);
      // ~77 000 values replaced, a third of them out-of-line blocks: none left behind.
      expect(s.grewBy).toBeLessThan(256 * 1024);
    }
    expect(churn.churn).toBeGreaterThanOrEqual(5);
    expect(hot.churn).toBeGreaterThanOrEqual(5);
    expect(clear.clears).toBe(200);
  });
});
