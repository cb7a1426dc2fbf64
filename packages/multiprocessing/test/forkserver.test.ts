import {
  EOFError,
  getAllStartMethods,
  getStartMethod,
  JoinableQueue,
  Pipe,
  Process,
  RuntimeError,
  setStartMethod,
  ValueError,
} from '@threadkit/multiprocessing';
import { beforeAll, describe, expect, it } from 'vitest';

/** Start a child that reports whether it ran in a spare; the caller's args follow `conn`. */
function startReporting(extra: unknown[] = []): boolean {
  const [r, w] = Pipe(false);
  const p = new Process({
    target: (conn: any, ...more: any[]) => {
      conn.send(process.argv.includes('--threadkit-spare'));
      for (const m of more) if (m && typeof m.put === 'function') m.put('from child');
    },
    args: [w, ...extra],
  });
  p.start();
  w.close();
  const warm = r.recv() as boolean;
  r.close();
  p.join();
  expect(p.exitcode).toBe(0);
  return warm;
}

/** Start children until one runs in a ready spare (the first start also forks the spare). */
async function untilWarm(extra: unknown[] = []): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    if (startReporting(extra)) return;
    await new Promise((r) => setTimeout(r, 100)); // let the spare finish booting
  }
  throw new Error('no child ever ran in a spare');
}

describe('start methods', () => {
  beforeAll(() => {
    setStartMethod('forkserver', true);
  });

  it("lists and sets them with Python's errors", () => {
    expect(getAllStartMethods()).toEqual(['spawn', 'forkserver']);
    expect(getStartMethod()).toBe('forkserver');
    expect(() => setStartMethod('spawn')).toThrow(new RuntimeError('context has already been set'));
    expect(() => setStartMethod('fork' as never, true)).toThrow(ValueError);
    expect(() => setStartMethod('fork' as never, true)).toThrow('cannot find context for "fork"');
    expect(getStartMethod()).toBe('forkserver');
  });

  it('forkserver: a ready spare runs the next child, with Pipes and queues passed to it', async () => {
    await untilWarm();
    // Now a spare is booting again; wait for it, passing a queue this time.
    const q = new JoinableQueue();
    await untilWarm([q]);
    expect(q.get(true, 10)).toBe('from child');
    q.taskDone();
    q.close();
  });

  it('forkserver: end of file still reaches the parent once a warm child has closed its end', async () => {
    await untilWarm();
    for (let attempt = 0; attempt < 20; attempt++) {
      const [r, w] = Pipe(false);
      const p = new Process({
        target: (conn: any) => {
          conn.send(process.argv.includes('--threadkit-spare'));
          conn.send('last');
        },
        args: [w],
      });
      p.start();
      w.close();
      const warm = r.recv();
      expect(r.recv()).toBe('last');
      expect(() => r.recv()).toThrow(EOFError); // the parent's extra open was dropped
      p.join();
      r.close();
      if (warm) return;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('no child ever ran in a spare');
  });

  it('forkserver: a change of environment since the spare booted starts the child fresh', async () => {
    await untilWarm();
    await new Promise((r) => setTimeout(r, 300)); // the next spare has booted (or not: then cold anyway)
    process.env.THREADKIT_TEST_ENV_CHANGE = String(Date.now());
    try {
      const [r, w] = Pipe(false);
      const p = new Process({
        target: (conn: any) =>
          conn.send([
            process.argv.includes('--threadkit-spare'),
            process.env.THREADKIT_TEST_ENV_CHANGE,
          ]),
        args: [w],
      });
      p.start();
      w.close();
      expect(r.recv()).toEqual([false, process.env.THREADKIT_TEST_ENV_CHANGE]);
      p.join();
      r.close();
    } finally {
      delete process.env.THREADKIT_TEST_ENV_CHANGE;
    }
  });
});
