import { describe, expect, it } from 'vitest';
import { expectFactorisation, indexOf, matching, runOk } from './helpers.js';

const sorted = (xs: string[]) => [...xs].sort();

describe('chapter 3', () => {
  it('classThread runs the subclass run() once, constructor once', async () => {
    const r = await runOk('ch03/classThread');
    expect(r.lines).toHaveLength(5);
    expect(r.lines.slice(0, 2)).toEqual(['Hello world', 'Created my Thread Object']);
    expect(sorted(r.lines.slice(2, 4))).toEqual(['Started my thread', 'Thread is now running']);
    expect(r.lines[4]).toBe('My Thread finished');
  });

  for (const name of ['currentThread', 'mainThread']) {
    it(`${name} prints the child and the main thread`, async () => {
      const r = await runOk(`ch03/${name}`);
      expect(r.lines).toHaveLength(8);
      expect(r.lines[0]).toBe('Child Thread Starting');
      expect(r.lines[1]).toBe('Current Thread ----------');
      expect(r.lines[2]).toMatch(/^<Thread\(Thread-1 \(myChildThread\), started \d+\)>$/);
      expect(r.lines[4]).toBe('Main Thread -------------');
      expect(r.lines[5]).toMatch(/^<_MainThread\(MainThread, started \d+\)>$/);
      expect(r.lines[7]).toBe('Child Thread Ending');
    });
  }

  it('daemonThread: the program ends after the standard thread, stopping the daemon', async () => {
    const r = await runOk('ch03/daemonThread', ['--scale', '0.2']);
    expect(matching(r.lines, /^Starting my Standard Thread$/)).toHaveLength(1);
    expect(matching(r.lines, /^Ending my standard thread$/)).toHaveLength(1);
    expect(matching(r.lines, /^Sending Out Heartbeat Signal$/).length).toBeGreaterThanOrEqual(1);
  });

  it('enumerateThreads lists the main thread and the four started ones', async () => {
    const r = await runOk('ch03/enumerateThreads');
    const line = r.lines[indexOf(r.lines, /^Enumerating: /)];
    expect(line).toMatch(
      /^Enumerating: \[<_MainThread\(MainThread, started \d+\)>(, <Thread\(Thread-\d \(myThread\), started \d+\)>){4}\]$/,
    );
    for (let i = 0; i < 4; i++) {
      expect(indexOf(r.lines, new RegExp(`^Thread ${i}: started$`))).toBeLessThan(
        indexOf(r.lines, new RegExp(`^Thread ${i}: finished$`)),
      );
    }
    expect(r.lines).toHaveLength(9);
  });

  it('gettingCurrentThread: ten threads, default names Thread-1 … Thread-10', async () => {
    const r = await runOk('ch03/gettingCurrentThread');
    expect(r.lines).toHaveLength(10);
    const names = r.lines.map(
      (l) =>
        /^Current Thread: <Thread\((Thread-\d+) \(threadTarget\), started \d+\)>$/.exec(l)?.[1],
    );
    expect(sorted(names as string[])).toEqual(
      sorted(Array.from({ length: 10 }, (_, i) => `Thread-${i + 1}`)),
    );
  });

  it('identifyingThreads: named threads print their names', async () => {
    const r = await runOk('ch03/identifyingThreads');
    expect(r.lines[indexOf(r.lines, /^\[/)]).toMatch(
      /^\[<_MainThread\(MainThread, started \d+\)>, <Thread\(Thread-0, started \d+\)>, <Thread\(Thread-1, started \d+\)>, <Thread\(Thread-2, started \d+\)>, <Thread\(Thread-3, started \d+\)>\]$/,
    );
    for (let i = 0; i < 4; i++) {
      expect(indexOf(r.lines, new RegExp(`^Thread Thread-${i} starting$`))).toBeLessThan(
        indexOf(r.lines, new RegExp(`^Thread Thread-${i} ending$`)),
      );
    }
    expect(r.lines).toHaveLength(9);
  });

  it('orphanThreads: the children outlive their parent thread', async () => {
    const r = await runOk('ch03/orphanThreads', ['--scale', '0.2']);
    expect(r.lines).toContain('Trying to kill thread');
    expect(r.lines).toContain('Parent alive: false; its children still running: 10');
    expect(matching(r.lines, /^Thread-\d+ \(child\) starting$/)).toHaveLength(10);
    expect(matching(r.lines, /^Thread-\d+ \(child\) ending$/)).toHaveLength(10);
  });

  it('slowDown factorises on ten threads and says that Node has no GIL', async () => {
    const r = await runOk('ch03/slowDown', ['--iterations', '30']);
    const results = matching(r.lines, /^\[/);
    expect(results).toHaveLength(600); // 10 threads x 30, then the same on the main thread
    for (const line of results) expectFactorisation(line, 20_000, 100_000_000_000);
    expect(matching(r.lines, /^Execution Time: \d+\.\d+$/)).toHaveLength(2);
    expect(r.lines).toContainEqual(
      expect.stringMatching(/^10 threads: .* speed-up x\d+\.\d\d on \d+ CPUs\.$/),
    );
    expect(r.lines.at(-1)).toMatch(/no GIL/);
  });

  it('startingThread: enumerate() grows by one thread after each start()', async () => {
    const r = await runOk('ch03/startingThread', ['--scale', '0.2']);
    const lists = matching(r.lines, /^Active Threads: /);
    expect(lists).toHaveLength(10);
    lists.forEach((line, k) => {
      expect(line.split('<').length - 1).toBe(k + 2);
    });
    for (let i = 0; i < 10; i++) {
      expect(indexOf(r.lines, new RegExp(`^Thread ${i} started$`))).toBeLessThan(
        indexOf(r.lines, new RegExp(`^Thread ${i} finished executing$`)),
      );
    }
  });

  it('threadLifecycle walks through the states', async () => {
    const r = await runOk('ch03/threadLifecycle');
    expect(r.lines).toEqual([
      'New: isAlive() = false',
      'Started: isAlive() = true',
      "My Thread has entered the 'Running' State",
      'My Thread is terminating',
      'Joined: isAlive() = false',
      "My Thread has entered a 'Dead' state",
    ]);
  });

  it('totalThreads counts the live threads', async () => {
    const r = await runOk('ch03/totalThreads', ['--threads', '12']);
    expect(r.lines[0]).toBe('Starting 12 threads');
    const count = Number(
      /^Total Number of Active Threads: (\d+)$/.exec(
        r.lines[indexOf(r.lines, /^Total Number/)],
      )![1],
    );
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(13);
    for (let i = 0; i < 12; i++) {
      expect(matching(r.lines, new RegExp(`^Thread ${i}: started$`))).toHaveLength(1);
      expect(matching(r.lines, new RegExp(`^Thread ${i}: finished$`))).toHaveLength(1);
    }
  });

  it('forkVsCreate times starting threads and processes', async () => {
    const r = await runOk('ch03/forkVsCreate');
    expect(r.lines).toHaveLength(5);
    expect(r.lines[4]).toMatch(/^On Node a thread is a worker/);
    expect(r.lines[0]).toMatch(/^Total Time for Creating 10 Threads: \d+(\.\d+)?(e-\d+)? seconds$/);
    expect(r.lines[1]).toMatch(
      /^\(10 threads started, slept 0\.1 s and ended in \d+\.\d+ seconds\)$/,
    );
    expect(r.lines[2]).toMatch(
      /^Total Time for Creating 10 Processes: \d+(\.\d+)?(e-\d+)? seconds$/,
    );
    expect(r.lines[3]).toMatch(
      /^\(10 processes started, slept 0\.1 s and ended in \d+\.\d+ seconds\)$/,
    );
  });

  it('killThread terminates a process: exitcode -SIGTERM', async () => {
    const r = await runOk('ch03/killThread');
    const body = r.lines.filter((l) => !l.startsWith('Process started at: '));
    expect(body).toHaveLength(4);
    expect(body[0]).toMatch(/^Process <Process name='Process-1' parent=\d+ initial>$/);
    expect(body[1]).toBe('Terminating Process...');
    expect(body[2]).toMatch(
      /^Process Terminated: <Process name='Process-1' pid=\d+ parent=\d+ stopped exitcode=-SIGTERM>$/,
    );
    expect(body[3]).toBe('exitcode: -15');
  });
});
