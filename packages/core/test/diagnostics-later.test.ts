import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runNode } from './helpers.js';

/**
 * Start the 'blocked' fixture, send it SIGUSR2 once it says "ready" (its main thread then
 * blocks in join() for good), and return its stderr once the dump's last entry is there.
 */
async function signalBlockedChild(): Promise<string> {
  const child = spawn(process.execPath, ['diagnostics-later.mjs', 'blocked'], {
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
        if (/"waits-forever" #\d+ .*\n {3}State: /.test(stderr)) {
          clearTimeout(timer);
          resolve();
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
    const stderr = await signalBlockedChild();
    expect(stderr).toMatch(/^Thread dump .* \(\d+ threads\):/);
    expect(stderr).toMatch(/"MainThread" #\d+ .*main\n {3}State: WAITING in Thread.join/);
    expect(stderr).toMatch(/"DumpSignal" #\d+ .*daemon/);
    expect(stderr).not.toContain('DeprecationWarning');
  });

  it('installDumpSignal prints the dump when the process gets SIGUSR2', () => {
    const r = runNode(['diagnostics-later.mjs', 'signal']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^Thread dump .* \(\d+ threads\):/);
    expect(r.stderr).toContain('"MainThread"');
    expect(r.stderr).toContain('"signaller"');
    expect(r.stderr.split('Thread dump').length - 1, r.stderr).toBe(1); // once, not per loop
  });
});
