import {
  BoundedSemaphore,
  Condition,
  dumpThreads,
  Event,
  formatThreadDump,
  Lock,
  Queue,
  RLock,
  Semaphore,
  Thread,
} from '@threadkit/core';
import { describe, expect, it } from 'vitest';
import { until } from './helpers/threads.js';

/** Start a daemon thread named `name` running `target(...args)`. */
function start(name: string, target: (...a: any[]) => unknown, args: unknown[]): Thread {
  const t = new Thread({ name, target, args, daemon: true });
  t.start();
  return t;
}

describe('dumpThreads', () => {
  it('shows every kind of blocking call with its object, and who holds a lock', async () => {
    const lock = new Lock();
    const rlock = new RLock();
    const sem = new Semaphore(0);
    const bsem = new BoundedSemaphore(1);
    const cond = new Condition();
    const event = new Event();
    const empty = new Queue();
    const full = new Queue(1);
    const unfinished = new Queue();
    full.put(1);
    unfinished.put(1);
    lock.acquire();
    bsem.acquire();
    const holder = start(
      'rlock-holder',
      (r: RLock, e: Event) => {
        r.acquire();
        e.wait();
        r.release();
      },
      [rlock, event],
    );
    await until(() => rlock.locked(), 'the RLock held');
    const sleeper = start('sleeper', (e: Event) => e.wait(), [event]);
    const threads = [
      start('lock-waiter', (l: Lock) => l.acquire(), [lock]),
      start('rlock-waiter', (r: RLock) => r.acquire(), [rlock]),
      start('sem-waiter', (s: Semaphore) => s.acquire(), [sem]),
      start('bsem-waiter', (s: BoundedSemaphore) => s.acquire(true, 60), [bsem]),
      start('cond-waiter', (c: Condition) => c.withLock(() => c.wait()), [cond]),
      start('event-waiter', (e: Event) => e.wait(60), [event]),
      start('get-waiter', (q: Queue) => q.get(), [empty]),
      start('put-waiter', (q: Queue) => q.put(2), [full]),
      start('join-waiter', (q: Queue) => q.join(), [unfinished]),
      start('thread-joiner', (t: Thread) => t.join(), [sleeper]),
    ];
    const expected: Record<string, [string, string, boolean]> = {
      'lock-waiter': ['Lock.acquire', 'Lock', false],
      'rlock-waiter': ['RLock.acquire', 'RLock', false],
      'sem-waiter': ['Semaphore.acquire', 'Semaphore', false],
      'bsem-waiter': ['Semaphore.acquire', 'Semaphore', true],
      'cond-waiter': ['Condition.wait', 'Condition', false],
      'event-waiter': ['Event.wait', 'Event', true],
      'get-waiter': ['Queue.get', 'Queue', false],
      'put-waiter': ['Queue.put', 'Queue', false],
      'join-waiter': ['Queue.join', 'Queue', false],
      'thread-joiner': ['Thread.join', 'Thread', false],
    };
    const blocked = () => {
      const byName = new Map(dumpThreads().threads.map((t) => [t.name, t]));
      return Object.keys(expected).every((n) => byName.get(n)?.blockedOn != null);
    };
    await until(blocked, 'every waiter blocked');
    const dump = dumpThreads();
    const byName = new Map(dump.threads.map((t) => [t.name, t]));
    for (const [name, [kind, type, timed]] of Object.entries(expected)) {
      const b = byName.get(name)?.blockedOn;
      expect({ name, kind: b?.kind, type: b?.type, timed: b?.timed }).toEqual({
        name,
        kind,
        type,
        timed,
      });
      expect(b?.forMs).toBeGreaterThanOrEqual(0);
    }
    // The same object has the same id whichever thread waits on it.
    expect(byName.get('event-waiter')?.blockedOn?.id).toBe(byName.get('sleeper')?.blockedOn?.id);
    expect(byName.get('rlock-waiter')?.blockedOn?.holder).toBe(holder.ident);
    expect(byName.get('thread-joiner')?.blockedOn?.holder).toBe(sleeper.ident);
    expect(byName.get('MainThread')?.role).toBe('main');
    expect(byName.get('MainThread')?.blockedOn).toBe(null);
    const text = formatThreadDump(dump);
    expect(text).toContain('"rlock-waiter"');
    expect(text).toContain(`held by "rlock-holder" #${holder.ident}`);
    expect(text).toMatch(/"event-waiter".*\n {3}State: TIMED_WAITING in Event.wait/);
    // Wake everything so the threads end.
    lock.release();
    bsem.release();
    sem.release();
    cond.withLock(() => cond.notifyAll());
    event.set();
    empty.put(0);
    full.get();
    unfinished.get();
    unfinished.taskDone();
    for (const t of [holder, sleeper, ...threads]) await t.joinAsync(30);
    for (const t of [holder, sleeper, ...threads]) expect(t.isAlive()).toBe(false);
  });
});
