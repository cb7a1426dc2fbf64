import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNode } from './helpers.js';

describe('process exit as in Python (child node processes)', () => {
  it('waits for non-daemon threads after the main script ends', () => {
    const r = runNode(['exit-nondaemon.mjs']);
    expect(r.stdout).toBe('main script done\nslow thread finished\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('stops busy daemon threads at exit, cleanly (code 0, nothing on stderr)', () => {
    const r = runNode(['exit-daemon-busy.mjs']);
    expect(r.stdout).toBe('daemons running; main exits\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('lets a thread started from another thread outlive its creator', () => {
    const r = runNode(['exit-grandchild.mjs']);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain('creator done');
    expect(lines).toContain('main joined creator');
    expect(lines.at(-1)).toBe('orphan done; creator alive: false');
    expect(r.status).toBe(0);
  });
});

describe('module targets in an unguarded entry script', () => {
  it('refuses to start threads again while the worker imports the module (no runaway recursion)', () => {
    const r = runNode(['unguarded-entry.mjs']);
    expect(r.stdout).toBe('main done\n');
    expect(r.stderr).toMatch(
      /^Exception in thread Thread-\d+ \(hello\):\nRuntimeError: a thread was started while .*unguarded-entry\.mjs was being imported/,
    );
    expect(r.stderr).toMatch(/if \(isMainThread\)/);
    expect(r.status).toBe(0);
  });
});

describe('output from threads', () => {
  it('appears at the moment of the call while main is blocked, in whole lines', () => {
    const r = runNode(['print-while-blocked.mjs']);
    const out = r.stdout.split('\n');
    expect(out.slice(0, 3)).toEqual([
      'thread: console.log line',
      'thread: print line { a: 1 }',
      'main: after join',
    ]);
    expect(r.stderr).toBe('thread: console.error line\n');
    const long = out.slice(3).filter((l) => l.length > 0);
    expect(long).toHaveLength(80);
    for (const line of long) expect(line).toMatch(/^\d:\d+:x{20000}$/);
    for (let k = 0; k < 4; k++) {
      const mine = long.filter((l) => l.startsWith(`${k}:`)).map((l) => Number(l.split(':')[1]));
      expect(mine).toEqual([...Array(20).keys()]);
    }
    expect(r.status).toBe(0);
  });
});

describe('excepthook', () => {
  it('by default prints "Exception in thread NAME:" and the stack; nothing else is harmed', () => {
    const r = runNode(['excepthook.mjs']);
    expect(r.stdout).toBe('survivor wrote 99; alive: false false\n');
    expect(r.stderr).toMatch(/^Exception in thread thrower:\nTypeError: sync boom\n\s+at /m);
    expect(r.stderr).toMatch(/Exception in thread rejecter:\nRangeError: async boom\n/);
    expect(r.status).toBe(0);
  });

  it('can be replaced, and the replacement runs in the failing thread', () => {
    const r = runNode(['excepthook.mjs', 'custom']);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n').sort();
    expect(lines).toEqual([
      'hook: rejecter RangeError async boom',
      'hook: thrower TypeError sync boom',
      'survivor wrote 99; alive: false false',
    ]);
    expect(r.status).toBe(0);
  });

  it('getExcepthook() gives the hook in force in every thread', async () => {
    const { getExcepthook, __excepthook__, setExcepthook, Thread } = await import(
      '@threadkit/core'
    );
    expect(getExcepthook()).toBe(__excepthook__);
    const hook = (args: { excValue: unknown }) => {
      (args.excValue as Int32Array)[1] = 7;
    };
    setExcepthook(hook);
    try {
      expect(getExcepthook()).toBe(hook);
      const out = new Int32Array(new SharedArrayBuffer(8));
      const t = new Thread({
        target: async (o: Int32Array) => {
          const tk = await import('@threadkit/core');
          const h = tk.getExcepthook();
          o[0] = h === tk.__excepthook__ ? 2 : 1;
          await h({ excType: null, excValue: o, excTraceback: null, thread: null });
        },
        args: [out],
      });
      t.start();
      t.join();
      expect(Array.from(out)).toEqual([1, 7]);
    } finally {
      setExcepthook(null);
    }
    expect(getExcepthook()).toBe(__excepthook__);
  });

  it('explains a hook that uses a captured variable (it runs in the failing thread)', () => {
    const r = runNode(['cpython/excepthook.mjs', 'captured']);
    expect(r.stderr).toMatch(
      /^Exception in threading\.excepthook:\nReferenceError: seen is not defined \(hint: an inline target runs in another thread/,
    );
    expect(r.status).toBe(0);
  });

  it('reports a failing hook as Python does', () => {
    const r = runNode(['excepthook.mjs', 'failing-hook']);
    expect(r.stderr.match(/Exception in threading\.excepthook:\nError: hook broke/g)).toHaveLength(
      2,
    );
    expect(r.stdout).toBe('survivor wrote 99; alive: false false\n');
    expect(r.status).toBe(0);
  });
});

describe('a worker that cannot start', () => {
  it('ends its thread with an error on stderr instead of leaving joiners waiting', () => {
    // A copy of the package whose worker entry is missing.
    const pkgDir = fileURLToPath(new URL('..', import.meta.url));
    const root = mkdtempSync(join(tmpdir(), 'threadkit-broken-'));
    try {
      const target = join(root, 'node_modules', '@threadkit', 'core');
      mkdirSync(target, { recursive: true });
      cpSync(join(pkgDir, 'dist'), join(target, 'dist'), { recursive: true });
      cpSync(join(pkgDir, 'package.json'), join(target, 'package.json'));
      rmSync(join(target, 'dist', 'thread-entry.cjs'));
      const script = join(root, 'main.mjs');
      writeFileSync(
        script,
        "import { Thread } from '@threadkit/core';\n" +
          'const t = new Thread({ name: "doomed", target: () => {} });\n' +
          't.start();\n' +
          'await t.joinAsync(30);\n' +
          "console.log('alive: ' + t.isAlive());\n",
      );
      const r = runNode([script]);
      expect(r.stdout).toBe('alive: false\n');
      expect(r.stderr).toMatch(
        /^Exception in thread doomed:\nRuntimeError: the thread's worker died: .*thread-entry\.cjs/,
      );
      expect(r.status).toBe(0);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a worker that dies while its thread runs', () => {
  it('ends the thread (reported on stderr) even while the main thread is blocked in join()', () => {
    const r = runNode(['--max-old-space-size=64', 'oom.mjs']);
    expect(r.stdout).toBe('joined; alive: false\n');
    expect(r.stderr).toMatch(/^Exception in thread hog:\nRuntimeError: the thread's worker died/);
    expect(r.status).toBe(0);
  });
});
