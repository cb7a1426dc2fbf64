import { Thread } from '@threadkit/core';
import { Pipe, Process } from '@threadkit/multiprocessing';
import { describe, expect, it } from 'vitest';
import { Doubler, report, sendDump, startFromThread } from './fixtures/targets.mjs';
import { TsWorker, tsReport } from './fixtures/targets-ts.js';
import { runNode } from './helpers.js';

/** Start `p` with the write end of a fresh pipe handed over by `make`, return what it sends. */
function runAndReceive(make: (conn: ReturnType<typeof Pipe>[1]) => Process): unknown {
  const [r, w] = Pipe(false);
  const p = make(w);
  p.start();
  w.close();
  const got = r.recv();
  p.join();
  r.close();
  expect(p.exitcode).toBe(0);
  return got;
}

describe('the three target forms of docs/CONTRACT.md §2, in a child process', () => {
  it('inline function, with args and kwargs', () => {
    const got = runAndReceive(
      (w) =>
        new Process({
          target: (conn: any, a: number, b: number, kw: { scale: number }) =>
            conn.send((a + b) * kw.scale),
          args: [w, 2, 3],
          kwargs: { scale: 10 },
        }),
    );
    expect(got).toBe(50);
  });

  it('module function (ESM) sees its module scope', () => {
    const got = runAndReceive(
      (w) => new Process({ target: report, args: [w, { x: 1 }], name: 'mod' }),
    );
    expect(got).toEqual({
      secret: 'module scope works',
      name: 'mod',
      pid: expect.any(Number),
      parent: 'MainProcess',
      ppid: process.pid,
      extra: { x: 1 },
    });
  });

  it('module function written in TypeScript loads under tsx in the child', () => {
    expect(
      runAndReceive((w) => new Process({ target: tsReport, args: [w, 6], name: 'ts' })),
    ).toEqual({
      fromTs: 42,
      name: 'ts',
    });
  });

  it('Process subclass overriding run(): rebuilt from its fields, constructor not re-run', () => {
    const got = runAndReceive((w) => new Doubler(w, 21)) as Record<string, unknown>;
    expect(got).toEqual({
      doubled: 42,
      same: true,
      name: 'doubler',
      pid: expect.any(Number),
      constructed: 1,
    });
  });

  it('Process subclass in TypeScript', () => {
    expect(runAndReceive((w) => new TsWorker(w, 'hi'))).toEqual({ label: 'hi!', typed: 7 });
  });

  it('an inline target that uses a captured variable fails in the child with the hint', () => {
    const captured = 5;
    const p = new Process({ target: () => captured });
    p.start();
    p.join();
    expect(p.exitcode).toBe(1);
  });

  it('a subclass without `static module` cannot start', () => {
    class Local extends Process {
      override run(): void {}
    }
    expect(() => new Local().start()).toThrow(/static module = import\.meta\.url/);
  });

  it('CommonJS programs: require(), module functions and subclasses by __filename', () => {
    const r = runNode(['cjs-entry.cjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('[{"n":42,"name":"Process-1","cjs":true},"subclass cjs-sub"] 0 0\n');
  });

  it('TypeScript programs run by tsx: inline (with __name helpers), module and subclass targets', () => {
    const r = runNode(['--import', 'tsx', 'tsx-entry.ts']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('["2","42","subclass ok"] 0,0,0\n');
  });

  it('a thread can start and join a child process', () => {
    const [r, w] = Pipe(false);
    const t = new Thread({ target: startFromThread, args: [w] });
    t.start();
    expect(r.recv()).toEqual({ code: 9, name: expect.stringMatching(/^Process-\d+$/) });
    t.join();
    r.close();
    w.close();
  });

  it("a child process's own thread dump names the process", () => {
    const got = runAndReceive(
      (w) => new Process({ target: sendDump, args: [w], name: 'dumping-child' }),
    ) as { text: string; processName: string };
    expect(got.processName).toBe('dumping-child');
    expect(got.text).toMatch(/^Thread dump of process "dumping-child" .* pid \d+ \(\d+ threads\):/);
    expect(got.text).toContain('"MainThread"');
  });
});
