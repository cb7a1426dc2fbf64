import { describe, expect, it } from 'vitest';
import { runNode } from './helpers.js';

/** Run the watchdog fixture for `scenario` with diagnostics on (Lock holders recorded). */
function run(scenario: string) {
  const r = runNode(['diagnostics-watchdog.mjs', scenario], { timeoutMs: 60_000 });
  return { ...r, reports: r.stderr.split('Found one deadlock').length - 1 };
}

process.env.THREADKIT_DIAGNOSTICS = '1';

describe('startDeadlockWatchdog (child processes)', () => {
  it.each([
    ['lock', 'Lock', ['philo-0', 'philo-1']],
    ['rlock', 'RLock', ['philo-0', 'philo-1']],
    ['three', 'Lock', ['philo-0', 'philo-1', 'philo-2']],
    ['join', 'Thread', ['join-a', 'join-b']],
  ])('reports the %s cycle once, with its threads and objects', (scenario, type, names) => {
    const r = run(scenario);
    expect(r.status, r.stderr).toBe(0);
    expect(r.reports, r.stderr).toBe(1);
    for (const n of names) expect(r.stderr).toContain(`"${n}" #`);
    const objects = new Set(
      [...r.stderr.matchAll(new RegExp(`<${type} #(\\d+)>`, 'g'))].map((m) => m[1]),
    );
    expect(objects.size).toBe(names.length);
    // With diagnostics on, each thread's stack is in the report.
    if (type !== 'Thread') expect(r.stderr).toContain('acquire');
  });

  it('reports a thread waiting for an RLock whose owner threw, naming the owner', () => {
    const r = run('thrown');
    expect(r.status, r.stderr).toBe(0);
    expect(r.reports, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /"waiter" #\d+:\n {2}waiting to lock <RLock #\d+> in RLock.acquire,\n {2}which is held by "owner" #\d+, which has ended/,
    );
  });

  it('reports nothing for four threads contending on one Lock for two seconds', () => {
    const r = runNode(['diagnostics-watchdog.mjs', 'busy'], { timeoutMs: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('done true\n');
    expect(r.stderr).not.toContain('Found one deadlock');
  });
});
