// Pool processes are fed over a channel of their own (internal/process-slot.ts): tasks go in
// batches, outcomes come back in batches. Exact results for many tasks and for values split
// over many reads; what a dying process means for the tasks it was sent (none runs twice,
// those it never started run in the next process); no process outlives its owner.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrokenProcessPool, Pool, ProcessPoolExecutor } from '@threadkit/pool';
import { describe, expect, it } from 'vitest';
import { FrameReader, frameHeader } from '../src/internal/frames.js';
import { mul, pid, record, startThenWait } from './fixtures/tasks.js';
import { FIXTURES, fileGate, until } from './helpers.js';

/** Whether process `p` runs (a zombie nobody reaped yet counts as gone). */
function alive(p: number): boolean {
  try {
    process.kill(p, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${p}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** How each result settled: its value, or the error's class name. */
async function settled(results: Array<{ get(timeout?: number): Promise<unknown> }>) {
  return Promise.all(
    results.map((r) =>
      r.get(60).then(
        (value) => ({ ok: true as const, value }),
        (error) => ({ ok: false as const, error }),
      ),
    ),
  );
}

/** The lines of the file a `record` task appends to, counted. */
function runsOf(path: string): Map<number, number> {
  const counts = new Map<number, number>();
  if (!existsSync(path)) return counts;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line) counts.set(Number(line), (counts.get(Number(line)) ?? 0) + 1);
  }
  return counts;
}

describe('FrameReader', () => {
  it('gives back every frame whole, however the stream is cut', () => {
    const bodies = [0, 1, 5, 20_000, 3].map((n, k) =>
      Buffer.from(Array.from({ length: n }, (_, i) => (i * 7 + k) & 0xff)),
    );
    const stream = Buffer.concat(bodies.flatMap((b) => [frameHeader(b.length), b]));
    for (const size of [1, 2, 3, 4, 5, 4096, stream.length]) {
      const reader = new FrameReader();
      const got: Buffer[] = [];
      for (let off = 0; off < stream.length; off += size) {
        reader.feed(stream.subarray(off, off + size), (body) => got.push(Buffer.from(body)));
      }
      expect(got).toEqual(bodies);
    }
  });
});

describe('Pool processes fed in batches', () => {
  it('5000 tasks of mixed results and errors: each gets its own, exactly', async () => {
    await using pool = new Pool(2);
    const f = (i: number) => {
      if (i % 97 === 0) throw new RangeError(`bad ${i}`);
      if (i % 3 === 0) return i * 2;
      if (i % 3 === 1) return `s${i}`;
      return { i, m: new Map([[i, [i, -i]]]) };
    };
    const rs = Array.from({ length: 5000 }, (_, i) => pool.applyAsync(f, [i]));
    const out = await settled(rs);
    out.forEach((o, i) => {
      if (i % 97 === 0) {
        expect(o.ok).toBe(false);
        expect((o as { error: Error }).error).toEqual(new RangeError(`bad ${i}`));
      } else {
        expect(o).toEqual({ ok: true, value: f(i) });
      }
    });
    const xs = Array.from({ length: 20_000 }, (_, i) => i);
    expect(await pool.map((x: number) => x * 3 + 1, xs, 7)).toEqual(xs.map((x) => x * 3 + 1));
  });

  it('ProcessPoolExecutor: 3000 calls, each future gets its own result', async () => {
    const e = new ProcessPoolExecutor(2);
    try {
      const fs = Array.from({ length: 3000 }, (_, i) => e.submit(mul, i, 3));
      for (let i = 0; i < fs.length; i++) expect(await fs[i].result()).toBe(i * 3);
    } finally {
      await e.shutdown();
    }
  });

  it('values of megabytes cross whole, beside tiny ones', async () => {
    await using pool = new Pool(1);
    const big = 'x'.repeat(3_000_000);
    const numbers = Array.from({ length: 200_000 }, (_, i) => i / 3);
    const rs = [
      pool.applyAsync((s: string) => `${s}!`, [big]),
      pool.applyAsync((x: number) => x + 1, [1]),
      pool.applyAsync((a: number[]) => a.map((v) => v * 3), [numbers]),
      pool.applyAsync((x: number) => x + 1, [2]),
    ];
    expect(await rs[0].get(60)).toBe(`${big}!`);
    expect(await rs[1].get(60)).toBe(2);
    expect(await rs[2].get(60)).toEqual(numbers.map((v) => v * 3));
    expect(await rs[3].get(60)).toBe(3);
  });

  it('a task that calls process.exit(): the tasks before it keep their results, those behind it run in the next process', async () => {
    await using pool = new Pool(1);
    const first = await pool.apply(pid);
    const log = join(fileGate().path, '..', 'runs');
    // All sent in one batch: the process runs the first ten and exits before it writes
    // their outcomes in the batch's one write; it writes them on its way out.
    const before = Array.from({ length: 10 }, (_, i) => pool.applyAsync(record, [log, i]));
    const dying = pool.applyAsync(() => process.exit(3));
    const behind = Array.from({ length: 5 }, (_, i) => pool.applyAsync(record, [log, 100 + i]));
    await expect(dying.get(60)).rejects.toBeInstanceOf(BrokenProcessPool);
    for (const [i, r] of before.entries()) expect(await r.get(60)).toBe(i);
    for (const [i, r] of behind.entries()) expect(await r.get(60)).toBe(100 + i);
    for (const [, n] of runsOf(log)) expect(n).toBe(1);
    expect(runsOf(log).size).toBe(15);
    expect(await pool.apply(pid)).not.toBe(first);
  });

  it('a process killed by a signal: no task it was sent runs twice; those never sent run', async () => {
    await using pool = new Pool(1);
    await pool.apply(pid);
    const log = join(fileGate().path, '..', 'runs');
    const rs = Array.from({ length: 10 }, (_, i) => pool.applyAsync(record, [log, i]));
    // Killed with the outcomes of the ten before it perhaps not written yet.
    const killer = pool.applyAsync(() => process.kill(process.pid, 'SIGKILL'));
    for (let i = 10; i < 40; i++) rs.push(pool.applyAsync(record, [log, i]));
    await expect(killer.get(60)).rejects.toBeInstanceOf(BrokenProcessPool);
    const out = await settled(rs);
    out.forEach((o, i) => {
      if (o.ok) expect(o.value).toBe(i);
      else expect((o as { error: unknown }).error).toBeInstanceOf(BrokenProcessPool);
    });
    // A process is sent at most 16 tasks (pool.ts): the last ones were never sent and ran.
    for (const o of out.slice(-10)) expect(o.ok).toBe(true);
    for (const [i, n] of runsOf(log)) expect([i, n]).toEqual([i, 1]);
    for (const [i, o] of out.entries()) if (o.ok) expect(runsOf(log).get(i)).toBe(1);
  });

  it('a process killed from outside while it runs a task: that task and the ones sent behind it fail, the rest run', async () => {
    await using pool = new Pool(1);
    const worker = await pool.apply(pid);
    const gate = fileGate();
    const started = `${gate.path}.started`;
    try {
      const running = pool.applyAsync(startThenWait, [started, gate.path]);
      const queued = Array.from({ length: 30 }, (_, i) => pool.applyAsync(mul, [i, 2]));
      await until(() => existsSync(started), 'the task runs');
      process.kill(worker, 'SIGKILL');
      await expect(running.get(60)).rejects.toBeInstanceOf(BrokenProcessPool);
      const out = await settled(queued);
      out.forEach((o, i) => {
        if (o.ok) expect(o.value).toBe(i * 2);
        else expect((o as { error: unknown }).error).toBeInstanceOf(BrokenProcessPool);
      });
      for (const o of out.slice(-10)) expect(o.ok).toBe(true);
      const next = await pool.apply(pid);
      expect(next).not.toBe(worker);
    } finally {
      gate.set();
    }
  });

  it('ProcessPoolExecutor: a process killed from outside breaks the pool, every pending future fails', async () => {
    const e = new ProcessPoolExecutor(1);
    const gate = fileGate();
    const started = `${gate.path}.started`;
    try {
      const worker = await e.submit(pid).result();
      const running = e.submit(startThenWait, started, gate.path);
      const pending = Array.from({ length: 10 }, (_, i) => e.submit(mul, i, 2));
      await until(() => existsSync(started), 'the call runs');
      process.kill(worker, 'SIGKILL');
      for (const f of [running, ...pending]) {
        expect(await f.exception(60)).toBeInstanceOf(BrokenProcessPool);
      }
    } finally {
      gate.set();
      await e.shutdown();
    }
  });

  it('tiny tasks submitted right behind a long one run on the other process (one waits behind it)', async () => {
    await using pool = new Pool(2);
    await pool.map(pid, [1, 2], 1); // both processes up
    const gate = fileGate();
    const started = `${gate.path}.started`;
    try {
      const long = pool.applyAsync(startThenWait, [started, gate.path]);
      const tiny = Array.from({ length: 40 }, (_, i) => pool.applyAsync(mul, [i, 2]));
      const done = new Set<number>();
      tiny.forEach((r, i) => void r.get(60).then(() => done.add(i)));
      // A process that has not reported for a millisecond is sent no more than 2 tasks.
      await until(() => done.size >= tiny.length - 1, 'the tiny tasks run elsewhere', 20_000);
      expect(long.ready()).toBe(false);
      gate.set();
      expect(await long.get(60)).toBe(true);
      for (const [i, r] of tiny.entries()) expect(await r.get(60)).toBe(i * 2);
    } finally {
      gate.set();
    }
  });

  it('terminate() with tasks waiting in the process: they fail, and the process is gone', async () => {
    const pool = new Pool(1);
    const worker = await pool.apply(pid);
    const gate = fileGate();
    try {
      const rs = [
        pool.applyAsync(startThenWait, [`${gate.path}.s`, gate.path]),
        ...Array.from({ length: 5 }, (_, i) => pool.applyAsync(mul, [i, 1])),
      ];
      await pool.terminate();
      for (const r of rs) await expect(r.get(30)).rejects.toThrow(/terminated/);
      expect(alive(worker)).toBe(false);
    } finally {
      gate.set();
    }
  });

  it('no worker process outlives its owner, even one killed with SIGKILL', async () => {
    const owner = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { Pool } from '@threadkit/pool';
         const pool = new Pool(2);
         const pids = await pool.map(() => process.pid, [1, 2, 3, 4], 1);
         console.log(JSON.stringify([...new Set(pids)]));
         setInterval(() => {}, 1000);`,
      ],
      { cwd: FIXTURES, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    owner.stdout.on('data', (d) => {
      out += d;
    });
    await until(() => out.includes('\n'), 'the owner reports its workers', 60_000);
    const pids = JSON.parse(out) as number[];
    expect(pids.length).toBeGreaterThan(0);
    for (const p of pids) expect(alive(p)).toBe(true);
    owner.kill('SIGKILL');
    await until(() => pids.every((p) => !alive(p)), 'the workers exit', 30_000);
  });
});
