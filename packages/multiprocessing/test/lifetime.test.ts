// Process records are reclaimed (issue 11): a program that makes Process objects and starts
// children stays flat. Run in a child process with --expose-gc and THREADKIT_DEBUG_MEMORY=1.
import { describe, expect, it } from 'vitest';
import { runNode } from './helpers.js';

describe('process records are reused', () => {
  it('20 000 Process objects made and dropped and 20 children started and joined stay flat', () => {
    const r = runNode(['--expose-gc', 'lifetime-records.mjs', '20000', '20'], {
      timeoutMs: 120_000,
      env: { THREADKIT_DEBUG_MEMORY: '1' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    expect(out.names).toBe(20_000);
    // activeChildren() lists each child while it runs, and not once it has been joined.
    expect(out.activeOk).toBe(40);
    // Before: every record stayed (≈ 100 B each with its name: about 2 MB here). What may stay:
    // the table of children keeps up to 16 ended ones until it next compacts.
    expect(out.after.used - out.before.used).toBeLessThanOrEqual(16 * 1024);
    expect(out.after.live).toBeLessThanOrEqual(out.before.live + 16);
    // A handle kept across all that still reads its own (ended) process.
    expect(out.kept).toEqual(['kept', 0, false]);
  }, 120_000);
});
