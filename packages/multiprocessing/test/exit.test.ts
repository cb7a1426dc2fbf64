import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FIXTURES, pidAlive, runNode } from './helpers.js';

describe('process exit, as in Python (child node programs)', () => {
  it('terminates daemon children and waits for non-daemon ones when the main script ends', () => {
    const t0 = performance.now();
    const r = runNode(['exit-daemon.mjs']);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(1)).toEqual(['main script done', 'non-daemon child finished']);
    const pid = Number(/^daemon pid (\d+)$/.exec(lines[0])![1]);
    expect(pidAlive(pid)).toBe(false);
    expect(r.status).toBe(0);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(400);
  });

  it('does the same when the parent calls process.exit()', () => {
    const r = runNode(['exit-process-exit.mjs']);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines[1]).toBe('worker done');
    expect(pidAlive(Number(lines[0].split(' ')[2]))).toBe(false);
    expect(r.status).toBe(4);
  });

  it("prints an uncaught error as 'Process NAME:' and the stack; exitcode 1; the parent goes on", () => {
    const r = runNode(['exit-error.mjs']);
    expect(r.stdout).toBe('parent still running; exit codes 1 1\n');
    expect(r.stderr).toMatch(/^Process Failing:\nRangeError: child went wrong\n\s+at failing /);
    expect(r.stderr).toMatch(/\nProcess Process-2:\nTypeError: async failure\n/);
    expect(r.status).toBe(0);
  });

  it('a child that cannot load its target module exits with 1 (no hang)', () => {
    const r = runNode(['exit-bad-module.mjs']);
    expect(r.stdout).toBe('exit codes 1 0\n');
    expect(r.stderr).toMatch(/^Process Process-2:\n.*missing-module\.mjs/);
    expect(r.status).toBe(0);
  });

  it('a target module that starts processes at import fails in the child, as in Python (no endless chain)', () => {
    const r = runNode(['exit-unguarded.mjs']);
    expect(r.stdout).toBe('exitcode 1\n');
    expect(r.stderr).toMatch(
      /^Process Process-1:\nRuntimeError: An attempt has been made to start a new process before the current process has finished its bootstrapping phase/,
    );
    expect(r.status).toBe(0);
  });

  it('a daemon child ends when its parent is killed; a non-daemon child lives on (as in Python)', async () => {
    // Spawned (not spawnSync): the orphans keep the stdout pipe open after the parent dies.
    const parent = spawn(process.execPath, ['exit-orphan.mjs'], {
      cwd: FIXTURES,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    parent.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const signal = await new Promise((res) => parent.on('exit', (_code, sig) => res(sig)));
    expect(signal).toBe('SIGKILL');
    const [daemonPid, otherPid] = out.trim().split(' ').map(Number);
    const deadline = Date.now() + 30_000; // generous: a loaded machine may be slow to schedule it
    while (pidAlive(daemonPid) && Date.now() < deadline)
      await new Promise((res) => setTimeout(res, 50));
    expect(pidAlive(daemonPid)).toBe(false);
    expect(pidAlive(otherPid)).toBe(true);
    process.kill(otherPid, 'SIGKILL');
    parent.stdout!.destroy();
  });

  it('a `node -e` or `node -p` program starts its child on our entry, not on its own code again', () => {
    // Node keeps `-e code` in execArgv; a child given it would run `code` and start a child
    // of its own, without end. The guard stops such a child at once instead.
    const program = [
      "if (process.env.TK_EVAL_CHILD) { console.log('the -e code ran again'); process.exit(3); }",
      "process.env.TK_EVAL_CHILD = '1';",
      "const mp = require('@threadkit/multiprocessing');",
      "const p = new mp.Process({ target: (a) => console.log('child', a), args: [5] });",
      "p.start(); p.join(); console.log('exit', p.exitcode);",
    ].join('\n');
    for (const flag of ['-e', '-p', '--eval']) {
      const r = runNode([flag, program]);
      expect(r.stderr).toBe('');
      expect(r.stdout.split('\n').slice(0, 2)).toEqual(['child 5', 'exit 0']);
      expect(r.status).toBe(0);
    }
  });
});
