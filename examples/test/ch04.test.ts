import { describe, expect, it } from 'vitest';
import { indexOf, matching, run, runOk } from './helpers.js';

describe('chapter 4', () => {
  it('barriers: four threads meet; arrival indices 0..3 once per cycle', async () => {
    const r = await runOk('ch04/barriers', ['--iterations', '2']);
    for (const cycle of [1, 2]) {
      const tag = ` (cycle ${cycle})`;
      const working = matching(r.lines, /working on something/).filter((l) => l.endsWith(tag));
      const joining = r.lines.filter(
        (l) => / is joining \d waiting on Barrier/.test(l) && l.endsWith(tag),
      );
      const lifted = r.lines.filter(
        (l) => l.startsWith('Barrier has been lifted') && l.endsWith(tag),
      );
      expect(working).toHaveLength(4);
      expect(joining).toHaveLength(4);
      for (const l of joining) expect(Number(/joining (\d)/.exec(l)![1])).toBeLessThanOrEqual(3);
      const indices = lifted.map((l) => Number(/arrival index (\d)/.exec(l)![1]));
      expect(indices.sort()).toEqual([0, 1, 2, 3]);
      // nobody passes the barrier before the fourth thread has arrived
      const lastJoin = Math.max(...joining.map((l) => r.lines.indexOf(l)));
      const firstLift = Math.min(...lifted.map((l) => r.lines.indexOf(l)));
      expect(firstLift).toBeGreaterThan(lastJoin);
    }
  });

  it('diningPhilosophers: every philosopher eats, deadlocks are broken by timeouts', async () => {
    const r = await runOk('ch04/diningPhilosophers', ['--iterations', '2']);
    const names = ['Kant', 'Aristotle', 'Spinoza', 'Marx', 'Russell'];
    expect(r.lines.slice(0, 5)).toEqual(names.map((n) => `${n} Has Sat Down At the Table`));
    for (const n of names) {
      expect(
        matching(r.lines, new RegExp(`^${n} has attained both forks, currently eating`)),
      ).toHaveLength(2);
      expect(r.lines).toContain(`${n} has eaten 2 meals and leaves the table`);
      // every fork taken is put down again
      const left = matching(r.lines, new RegExp(`^${n} has acquired the left fork$`)).length;
      expect(matching(r.lines, new RegExp(`^${n} has released the left fork$`))).toHaveLength(left);
    }
    expect(r.lines.at(-1)).toBe('Every philosopher has left the table.');
  });

  it('diningPhilosophers --deadlock: the watchdog reports the five-philosopher cycle and the script ends', async () => {
    const r = await run('ch04/diningPhilosophers', ['--deadlock']);
    expect(r.code, r.stderr).toBe(0);
    const names = ['Kant', 'Aristotle', 'Spinoza', 'Marx', 'Russell'];
    for (const n of names) expect(r.stdout).toContain(`${n} has acquired the left fork`);
    expect(r.stderr.split('Found one deadlock:').length - 1).toBe(1);
    // Each philosopher waits for an RLock held by the next one round the table.
    names.forEach((n, i) => {
      const next = names[(i + 1) % 5];
      expect(r.stderr).toMatch(
        new RegExp(
          `"${n}" #\\d+:\n  waiting to lock <RLock #\\d+> in RLock.acquire,\n  which is held by "${next}" #`,
        ),
      );
    });
    expect(r.stdout.trim().split('\n').at(-1)).toBe(
      'The philosophers are deadlocked (see the report above); ending instead of hanging.',
    );
  });

  it('events: the poller sees the event once it is set, the waiter wakes', async () => {
    const r = await runOk('ch04/events', ['--scale', '0.3']);
    const set = indexOf(r.lines, /^Main thread: setting the event$/);
    expect(matching(r.lines, /^Waiting for Event to be set$/).length).toBeGreaterThanOrEqual(1);
    expect(indexOf(r.lines, /^myEvent has been set$/)).toBeGreaterThan(set);
    expect(
      indexOf(r.lines, /^The thread blocked in wait\(\) woke up: wait\(\) returned true$/),
    ).toBeGreaterThan(set);
  });

  it('rlocks: the recursion count goes 1, 2, 1, 2, 0', async () => {
    const r = await runOk('ch04/rlocks');
    expect(r.lines.map((l) => l.replace(/owner=[1-9]\d*/, 'owner=N'))).toEqual([
      'Rlock acquired, modifying A and B',
      '<locked threadkit.RLock object owner=N count=1>',
      'Modifying A : RLock Acquired: true',
      '<locked threadkit.RLock object owner=N count=2>',
      '<locked threadkit.RLock object owner=N count=1>',
      'Modifying B : RLock Acquired: true',
      '<locked threadkit.RLock object owner=N count=2>',
      '<unlocked threadkit.RLock object owner=0 count=0>',
      'a = 2, b = 1',
    ]);
  });

  it('rlockVLock: a Lock is not re-entrant, an RLock is', async () => {
    const r = await runOk('ch04/rlockVLock');
    const rlockAt = indexOf(r.lines, /^--- with a RLock ---$/);
    const lockPart = r.lines.slice(0, rlockAt);
    const rlockPart = r.lines.slice(rlockAt);
    expect(lockPart[0]).toBe('--- with a Lock ---');
    expect(
      matching(lockPart, /could not acquire the lock: this thread already holds it$/),
    ).toHaveLength(2);
    expect(lockPart.at(-1)).toBe('a = 1, b = 2');
    expect(matching(rlockPart, /^Modifying [AB] : Lock Acquired: true$/)).toHaveLength(2);
    expect(rlockPart.at(-1)).toBe('a = 2, b = 1');
  });

  it('threadJoin: join() waits for thread 2 only', async () => {
    const r = await runOk('ch04/threadJoin', ['--scale', '0.5']);
    expect(r.lines).toHaveLength(6);
    expect(r.lines[0]).toBe('Is thread 1 Finished?');
    const at = (s: string) => r.lines.indexOf(s);
    expect(at('Thread 1 Started')).toBeLessThan(at('Thread 1 Finished'));
    expect(at('Thread 2 Started')).toBeLessThan(at('Thread 2 Finished'));
    expect(at('Thread 1 Finished')).toBeLessThan(at('Thread 2 Finished'));
    expect(r.lines[5]).toBe('Thread 2 definitely finished');
  });

  it('lockExample: one worker runs its whole loop, then the other', async () => {
    const r = await runOk('ch04/lockExample');
    const up = (from: number, to: number) =>
      Array.from(
        { length: to - from + 1 },
        (_, k) => `Worker A is incrementing counter to ${from + k}`,
      );
    const down = (from: number, to: number) =>
      Array.from(
        { length: from - to + 1 },
        (_, k) => `Worker B is decrementing counter to ${from - k}`,
      );
    const body = r.lines.slice(0, -1);
    const aFirst = [...up(2, 1000), ...down(999, -1000)];
    const bFirst = [...down(0, -1000), ...up(-999, 1000)];
    expect(body[0].startsWith('Worker A') ? aFirst : bFirst).toEqual(body);
    expect(r.lines.at(-1)).toMatch(/^Execution Time \d+\.\d+$/);
  });

  for (const name of ['semaphores', 'boundedSemaphores']) {
    it(`${name}: four sellers sell exactly 200 tickets`, async () => {
      const r = await runOk(`ch04/${name}`, ['--scale', '0.02']);
      expect(r.lines.slice(0, 4)).toEqual(Array(4).fill('Ticket Seller Started Work'));
      const sales = matching(r.lines, / Sold One \(/);
      expect(sales).toHaveLength(200);
      const left = sales.map((l) => Number(/\((\d+) left/.exec(l)![1])).sort((a, b) => a - b);
      expect(left).toEqual(Array.from({ length: 200 }, (_, k) => k));
      const totals = matching(r.lines, /^Ticket Seller Thread-\d Sold \d+ tickets in total$/);
      expect(totals).toHaveLength(4);
      const sum = totals
        .map((l) => Number(/Sold (\d+) tickets/.exec(l)![1]))
        .reduce((a, b) => a + b, 0);
      expect(sum).toBe(200);
      for (const t of totals) {
        const seller = /Seller (Thread-\d)/.exec(t)![1];
        const own = sales.filter((l) => l.startsWith(`${seller} Sold One`)).length;
        expect(t).toBe(`Ticket Seller ${seller} Sold ${own} tickets in total`);
      }
      expect(r.lines).toContain('All sellers done: 0 tickets left');
      if (name === 'boundedSemaphores') {
        for (const l of sales) expect(l).toMatch(/, [12] sellers at the tills\)$/);
        expect(r.lines.at(-1)).toBe(
          'One release() too many: ValueError: Semaphore released too many times',
        );
      }
    });
  }

  it('producerConsumer: every integer produced is consumed once', async () => {
    const r = await runOk('ch04/producerConsumer', ['--iterations', '8']);
    const produced = matching(r.lines, /^\d+ appended to list by Thread-1$/).map((l) =>
      Number.parseInt(l, 10),
    );
    const consumed = matching(r.lines, /^\d+ popped from list by Thread-2$/).map((l) =>
      Number.parseInt(l, 10),
    );
    expect(produced).toHaveLength(8);
    expect([...consumed].sort()).toEqual([...produced].sort());
    expect(matching(r.lines, /^condition acquired by Thread-1$/)).toHaveLength(8);
    expect(matching(r.lines, /^condition notified by Thread-1$/)).toHaveLength(8);
    expect(r.lines.at(-1)).toBe('Thread-2 has consumed everything');
  });

  it('pubSub: two subscribers share the published integers, each once', async () => {
    const r = await runOk('ch04/pubSub', ['--iterations', '8']);
    const published = matching(r.lines, /^Publisher Thread-1 appending to array: \d+$/).map((l) =>
      Number(l.split(': ')[1]),
    );
    const popped = matching(r.lines, /^\d+ Popped from list by Consumer: Thread-[23]$/).map((l) =>
      Number.parseInt(l, 10),
    );
    expect(published).toHaveLength(8);
    expect([...popped].sort()).toEqual([...published].sort());
    expect(r.lines).toContain('Consumer Thread-2 is done');
    expect(r.lines).toContain('Consumer Thread-3 is done');
  });
});
