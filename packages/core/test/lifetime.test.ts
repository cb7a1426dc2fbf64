// Shared objects are reclaimed (issue 11): each scenario runs in a child process started with
// --expose-gc (so it can force collections) and, where it says so, THREADKIT_DEBUG_MEMORY=1
// (freed blocks poisoned, descriptors checked against their block's generation).
import { join } from 'node:path';
import { Lock, local, memoryStats, Queue, Thread } from '@threadkit/core';
import { describe, expect, it } from 'vitest';
import { runNodeAsync } from './helpers.js';

const MiB = 1024 * 1024;

async function runLifetime(script: string, args: string[], debug: boolean): Promise<any[]> {
  const r = await runNodeAsync(['--expose-gc', join('lifetime', script), ...args], {
    timeoutMs: 120_000,
    env: { THREADKIT_DEBUG_MEMORY: debug ? '1' : '0' },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('reclamation: a long-running program stays flat', () => {
  it('a service loop of 500 000 requests (Lock, Event, Queue each; every tenth through a warm thread and a queue) stays flat', async () => {
    const [r] = await runLifetime('service-loop.mjs', ['500000', 'drop', '100000'], false);
    expect(r.after.used - r.before.used).toBeLessThanOrEqual(32 * MiB);
    expect(r.after.rss - r.before.rss).toBeLessThanOrEqual(32 * MiB);
    // Everything the loop made is gone, but for its three queues and at most a few in flight.
    expect(r.objects.Event ?? 0).toBeLessThanOrEqual(10);
    expect(r.objects.Lock ?? 0).toBeLessThanOrEqual(2100); // the echo thread collects every 2000
  }, 120_000);

  it('the same loop keeping its objects does grow (so the flat result means something)', async () => {
    const [r] = await runLifetime('service-loop.mjs', ['60000', 'keep', '0'], false);
    expect(r.kept).toBe(180_000);
    expect(r.after.used - r.before.used).toBeGreaterThan(32 * MiB);
    expect(r.objects.Lock).toBeGreaterThanOrEqual(60_000);
  }, 60_000);

  it('GC pressure: 4 threads hand Locks, Events and Queues around 100 000 times (debug checks on)', async () => {
    const [r] = await runLifetime('gc-stress.mjs', ['1000', '100'], true);
    expect(r.errors).toEqual([]);
    expect(r.finished).toBe(1000);
    expect(r.totalHops).toBe(100_000);
    expect(r.bad).toBe(0);
    // The 1000 tokens' objects are gone, whatever was swapped in on the way (a thread's very
    // last handles may wait for its worker's next collection).
    expect(r.after.Queue).toBeLessThanOrEqual(r.baseline.Queue + 8);
    expect(r.after.Lock ?? 0).toBeLessThanOrEqual(8);
    expect(r.after.Event ?? 0).toBeLessThanOrEqual(8);
  }, 120_000);

  it('every shared type is reclaimed when dropped, and not while another thread can reach it', async () => {
    const rows = await runLifetime('per-type.mjs', [], true);
    const types = rows.map((r) => r.type);
    expect(types).toEqual([
      'Lock',
      'RLock',
      'Condition',
      'Semaphore',
      'BoundedSemaphore',
      'Event',
      'Barrier',
      'Queue',
      'LifoQueue',
      'PriorityQueue',
      'SimpleQueue',
      'Value',
      'Array',
      'Deque',
      'local',
      'SharedDict',
      'SharedList',
      'SharedSet',
    ]);
    for (const r of rows) {
      expect({ type: r.type, made: r.made, afterDrop: r.afterDrop }).toEqual({
        type: r.type,
        made: 50,
        afterDrop: 0,
      });
      expect({ type: r.type, whileHeld: r.whileHeld, worked: r.worked }).toEqual({
        type: r.type,
        whileHeld: 1,
        worked: true,
      });
      expect({ type: r.type, afterRelease: r.afterRelease }).toEqual({
        type: r.type,
        afterRelease: 0,
      });
    }
  }, 60_000);

  it('records of finished threads are reused: 20 000 start/join stay flat, idents never repeat, old handles still work', async () => {
    const [r] = await runLifetime('thread-records.mjs', ['20000'], true);
    // Before reuse every record stayed (≈ 170 B each with its name: 3.4 MB here).
    expect(r.growth).toBeLessThanOrEqual(64 * 1024);
    // What stays: the diagnostics table of the last 1024 threads, the kept handles, main.
    expect(r.liveThreadsAfter).toBeLessThanOrEqual(1100);
    expect(r.uniqueIdents).toBe(r.identsAdded);
    expect(r.enumerateBad).toBe(0);
    expect(r.endEnumerate).toEqual(['MainThread']);
    // Handles kept here, in another thread and in a queue item: same thread, still joinable.
    expect(r.first).toEqual(['first', true, false]);
    expect(r.held).toEqual(['held', true, false]);
    expect(r.queued).toEqual(['queued', true, false]);
  }, 180_000);

  it("what a thread's arguments named is reclaimed after join() while its warm worker idles", async () => {
    const [r] = await runLifetime('idle-worker.mjs', [], true);
    expect(r.whileRunning).toBe(r.baseline + 100);
    // Before: the idle worker never collected, and its counts kept all 100 alive.
    expect(r.after).toBe(r.baseline);
  }, 60_000);

  it('debug mode turns a stale descriptor and a write after free into clear errors', async () => {
    const [r] = await runLifetime('debug-mode.mjs', [], true);
    expect(r.stale).toMatch(/use after free: a Lock descriptor names memory that was freed/);
    expect(r.write).toMatch(/use after free: freed arena block at byte \d+ was written to/);
  });
});

describe('one object per thread, however often it arrives', () => {
  it('a local passed twice is one local in the thread (a.x = 5 is seen through b)', () => {
    const out = new Queue();
    const loc = new local();
    const t = new Thread({
      target: (a: any, b: any, q: Queue) => {
        a.x = 5;
        q.put([a === b, b.x]);
      },
      args: [loc, loc, out],
    });
    t.start();
    t.join();
    expect(out.get()).toEqual([true, 5]);
  });

  it('a lock that arrives in the arguments and later through a queue is the same object', () => {
    const q = new Queue();
    const out = new Queue();
    const lock = new Lock();
    const t = new Thread({
      target: (first: Lock, q: Queue, out: Queue) => out.put(q.get() === first),
      args: [lock, q, out],
    });
    t.start();
    q.put(lock);
    t.join();
    expect(out.get()).toBe(true);
  });

  it('memoryStats() reports the arena and live objects by type', () => {
    const s = memoryStats();
    expect(s.reserved).toBeGreaterThan(0);
    expect(s.used).toBeGreaterThan(0);
    expect(s.used + s.free).toBeLessThanOrEqual(s.reserved);
    const before = memoryStats().objects.Lock ?? 0;
    const locks = [new Lock(), new Lock()];
    expect(memoryStats().objects.Lock).toBe(before + locks.length);
  });
});
