import { describe, expect, it } from 'vitest';
import { runNode } from './helpers.js';

describe('dumps from outside the code (child processes)', () => {
  it('dumpThreadsLater prints the dump while the main thread is blocked in join(), then exits', () => {
    const r = runNode(['diagnostics-later.mjs', 'later']);
    expect(r.signal, r.stderr).toBe('SIGKILL');
    expect(r.stderr).toContain('Timeout (0.3 s)!');
    expect(r.stderr).toMatch(/"MainThread" #\d+ .*main\n {3}State: WAITING in Thread.join/);
    expect(r.stderr).toMatch(/- waiting on <Thread #\d+> \("waits-forever"\)/);
    expect(r.stderr).toMatch(/"waits-forever" #\d+ .*\n {3}State: WAITING in Event.wait/);
  });

  it('installDumpSignal prints the dump when the process gets SIGUSR2', () => {
    const r = runNode(['diagnostics-later.mjs', 'signal']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Thread dump .* \(\d+ threads\):/);
    expect(r.stderr).toContain('"MainThread"');
    expect(r.stderr).toContain('"signaller"');
  });
});
