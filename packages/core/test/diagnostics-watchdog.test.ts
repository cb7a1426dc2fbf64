import { describe, expect, it } from 'vitest';
import { runNode } from './helpers.js';

/**
 * Run the watchdog fixture for `scenario`, with diagnostics on (stacks; Semaphore permit
 * holders) unless `diagnostics` is false.
 */
function run(scenario: string, diagnostics = true) {
  const r = runNode(['diagnostics-watchdog.mjs', scenario], {
    timeoutMs: 60_000,
    env: { THREADKIT_DIAGNOSTICS: diagnostics ? '1' : '0' },
  });
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

  it('reports a Condition waiter whose only notifier is blocked on a lock the waiter holds', () => {
    const r = run('condition');
    expect(r.status, r.stderr).toBe(0);
    expect(r.reports, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /"cond-waiter" #\d+:\n {2}waiting on <Condition #\d+> in Condition.wait,\n {2}which only "cond-notifier" #\d+ can notify \(all blocked\)/,
    );
    expect(r.stderr).toMatch(
      /"cond-notifier" #\d+:\n {2}waiting to lock <Lock #\d+> in Lock.acquire,\n {2}which is held by "cond-waiter"/,
    );
  });

  it('reports a thread waiting for an RLock whose owner threw, naming the owner', () => {
    const r = run('thrown');
    expect(r.status, r.stderr).toBe(0);
    expect(r.reports, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /"waiter" #\d+:\n {2}waiting to lock <RLock #\d+> in RLock.acquire,\n {2}which is held by "owner" #\d+, which has ended/,
    );
    // As the owner ended, once: the RLock (depth 2) and the Lock it kept, not the one it released.
    const notes = r.stderr.match(/threadkit: thread "owner" #\d+ ended holding .*/g) ?? [];
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(
      /ended holding <RLock #\d+> \(depth 2\), <Lock #\d+>; an RLock whose owner has ended can never be released$/,
    );
  });

  it.each([
    ['lock', 'Lock'],
    ['rlock', 'RLock'],
  ])(
    'reports the %s cycle with diagnostics off too (holders always recorded), without stacks',
    (scenario, type) => {
      const r = run(scenario, false);
      expect(r.status, r.stderr).toBe(0);
      expect(r.reports, r.stderr).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `"philo-0" #\\d+:\n {2}waiting to lock <${type} #\\d+> in ${type}.acquire,\n {2}which is held by "philo-1"`,
        ),
      );
      expect(r.stderr).not.toContain('acquire (');
    },
  );

  it('notes a Lock a thread ended holding with diagnostics off too', () => {
    const r = run('thrown', false);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /thread "owner" #\d+ ended holding <RLock #\d+> \(depth 2\), <Lock #\d+>;/,
    );
  });

  it('reports a cycle through a Semaphore permit (diagnostics on: permit holders recorded)', () => {
    const r = run('semaphore');
    expect(r.status, r.stderr).toBe(0);
    expect(r.reports, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /"lock-holder" #\d+:\n {2}waiting for a permit of <Semaphore #\d+> in Semaphore.acquire,\n {2}which is held by "sem-holder"/,
    );
    expect(r.stderr).toMatch(
      /"sem-holder" #\d+:\n {2}waiting to lock <Lock #\d+> in Lock.acquire,\n {2}which is held by "lock-holder"/,
    );
  });

  it('reports a Semaphore whose permits are held by an ended thread, and notes it as it ends', () => {
    const r = run('semaphore-ended');
    expect(r.status, r.stderr).toBe(0);
    expect(r.reports, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /thread "owner" #\d+ ended holding 2 permits of <BoundedSemaphore #\d+>\n/,
    );
    expect(r.stderr).toMatch(
      /"waiter" #\d+:\n {2}waiting for a permit of <Semaphore #\d+> in Semaphore.acquire,\n {2}which is held by "owner" #\d+, which has ended/,
    );
  });

  it('does not report waits on a Semaphore used as a signal (released by a thread that took none)', () => {
    const r = run('semaphore-signal');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('quiet\n');
    expect(r.stderr).not.toContain('Found one deadlock');
  });

  it('does not note a Lock another thread has just taken (before it records itself)', () => {
    // The stale acquirer ident used to name the ending thread as the holder.
    const r = runNode(['lock-just-taken.mjs']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('taken true\n');
    expect(r.stderr).not.toContain('ended holding');
  });

  it('reports nothing for four threads contending on one Lock for two seconds', () => {
    const r = runNode(['diagnostics-watchdog.mjs', 'busy'], { timeoutMs: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('done true\n');
    expect(r.stderr).not.toContain('Found one deadlock');
    expect(r.stderr).not.toContain('ended holding');
  });
});
