import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runNode } from './helpers.js';

/** The dump's entry for the fixture's thread (listed after MainThread and DumpSignal). */
const LAST_ENTRY = /"waits-forever" #\d+ .*\n {3}State: /;
const MAIN_IN_JOIN = /"MainThread" #\d+ .*main\n {3}State: WAITING in Thread.join/;

/**
 * Start the fixture in `mode` ('blocked': its main thread then blocks in join() for good;
 * 'free': it stays in its event loop), send it SIGUSR2 once it says "ready", and return its
 * stderr once `done(stderr)` holds. With `again`, a whole dump for which `done` does not hold
 * yet (the fixture says "ready" just before it blocks, so the first signal may come early)
 * is answered with another signal.
 */
async function signalChild(
  mode: string,
  done: (stderr: string) => boolean,
  again = false,
): Promise<string> {
  const child = spawn(process.execPath, ['diagnostics-later.mjs', mode], {
    cwd: FIXTURES,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let stdout = '';
  let stderr = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`no dump within 30 s (stdout ${JSON.stringify(stdout)}):\n${stderr}`)),
        30_000,
      );
      child.on('exit', (code, sig) => reject(new Error(`exited (${code ?? sig}):\n${stderr}`)));
      child.stdout.on('data', (d) => {
        const first = !stdout.includes('ready\n');
        stdout += d;
        if (first && stdout.includes('ready\n')) child.kill('SIGUSR2');
      });
      child.stderr.on('data', (d) => {
        stderr += d;
        if (done(stderr)) {
          clearTimeout(timer);
          resolve();
        } else if (again && LAST_ENTRY.test(stderr.slice(stderr.lastIndexOf('Thread dump')))) {
          setTimeout(() => child.kill('SIGUSR2'), 20);
        }
      });
    });
  } finally {
    child.kill('SIGKILL');
  }
  return stderr;
}

describe('dumps from outside the code (child processes)', () => {
  it('dumpThreadsLater prints the dump while the main thread is blocked in join(), then exits', () => {
    const r = runNode(['diagnostics-later.mjs', 'later']);
    expect(r.signal, r.stderr).toBe('SIGKILL');
    expect(r.stderr).toContain('Timeout (0.3 s)!');
    expect(r.stderr).toMatch(/"MainThread" #\d+ .*main\n {3}State: WAITING in Thread.join/);
    expect(r.stderr).toMatch(/- waiting on <Thread #\d+> \("waits-forever"\)/);
    expect(r.stderr).toMatch(/"waits-forever" #\d+ .*\n {3}State: WAITING in Event.wait/);
  });

  it('installDumpSignal prints the dump while the main thread is blocked in join()', async () => {
    const blocked = (e: string) =>
      MAIN_IN_JOIN.test(e.slice(e.lastIndexOf('Thread dump'))) && LAST_ENTRY.test(e);
    const whole = await signalChild('blocked', blocked, true);
    const stderr = whole.slice(whole.lastIndexOf('Thread dump'));
    expect(stderr).toMatch(/^Thread dump .* \(\d+ threads\):/);
    expect(stderr).toMatch(MAIN_IN_JOIN);
    expect(stderr).toMatch(/"DumpSignal" #\d+ .*daemon/);
    expect(stderr).not.toContain('DeprecationWarning');
  });

  it('installDumpSignal prints the dump once when the main thread is free', async () => {
    const stderr = await signalChild(
      'free',
      (e) => LAST_ENTRY.test(e) && e.includes('main saw the signal'),
    );
    expect(stderr).toMatch(/^Thread dump .* \(\d+ threads\):/m); // in either order with the note
    expect(stderr).toMatch(/"MainThread" #\d+ .*main\n {3}State: RUNNABLE/);
    // The main thread's own handler ran too (before its listener's note): it did not print.
    expect(stderr.split('Thread dump').length - 1, stderr).toBe(1);
  });
});
