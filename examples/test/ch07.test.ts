import { describe, expect, it } from 'vitest';
import { indexOf, matching, run, runOk } from './helpers.js';

const sorted = (xs: string[]) => [...xs].sort();
const DOUBLES = ['4', '6', '8', '10', '12', '14', '16'];

describe.concurrent('chapter 7', () => {
  it('results: map yields in input order despite random sleeps', async () => {
    const r = await runOk('ch07/results');
    expect(r.lines).toEqual(DOUBLES.map((d) => `Done: ${d}`));
  });

  it('mapCallback: executor.map prints 4 … 16', async () => {
    const r = await runOk('ch07/mapCallback');
    expect(r.lines).toEqual(DOUBLES);
  });

  it('threadPoolMap: executor.map and the built-in map agree', async () => {
    const r = await runOk('ch07/threadPoolMap');
    expect(r.lines).toEqual([...DOUBLES, '[4, 6, 8, 10, 12, 14, 16]']);
  });

  it('threadPool: two tasks run on pool threads named ThreadPoolExecutor-0_k', async () => {
    const r = await runOk('ch07/threadPool');
    expect(matching(r.lines, /^Executing our Task$/)).toHaveLength(2);
    expect(matching(r.lines, /^I: 45$/)).toHaveLength(2);
    const ran = matching(r.lines, /^Task Executed /);
    expect(ran).toHaveLength(2);
    for (const line of ran)
      expect(line).toMatch(
        /^Task Executed <Thread\(ThreadPoolExecutor-0_[0-2], started daemon \d+\)>$/,
      );
    expect(r.lines).toHaveLength(6);
  });

  for (const [name, kind] of [
    ['threadPoolExe', 'ThreadPoolExecutor'],
    ['processPoolExe', 'ProcessPoolExecutor'],
  ]) {
    it(`${name}: leaving the \`await using\` block waits for the three tasks`, async () => {
      const r = await runOk(`ch07/${name}`);
      expect(r.lines[0]).toBe(`Starting ${kind}`);
      expect(sorted(r.lines.slice(1, 4))).toEqual(['Processing 2', 'Processing 3', 'Processing 4']);
      expect(r.lines[4]).toBe('All tasks complete');
      expect(r.lines).toHaveLength(5);
    });
  }

  it('processPool: tasks run in other processes, each printing its own PID', async () => {
    const r = await runOk('ch07/processPool');
    const main = Number(/^Main process: (\d+)$/.exec(r.lines[0])![1]);
    const pids = r.lines
      .slice(1)
      .map((l) => Number(/^Executing our Task on Process (\d+)$/.exec(l)![1]));
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(pid).not.toBe(main);
  });

  it('cancellingCallable: cancel() of a queued task succeeds; 1, 2 and 4 run, 3 never', async () => {
    const r = await runOk('ch07/cancellingCallable');
    expect(r.lines).toContain('true');
    for (const n of [1, 2, 4]) {
      expect(indexOf(r.lines, new RegExp(`^Executing Task ${n}$`))).toBeLessThan(
        indexOf(r.lines, new RegExp(`^Task ${n} Finished Executing$`)),
      );
    }
    expect(matching(r.lines, /Task 3/)).toHaveLength(0);
    expect(r.lines).toHaveLength(7);
  });

  it('settingCallbacks: both done callbacks run, before the pool is left', async () => {
    const r = await runOk('ch07/settingCallbacks');
    expect(r.lines).toEqual([
      'Starting ThreadPoolExecutor',
      'Processing 2',
      'Our Task has completed',
      "I didn't think this would work",
      'All tasks complete',
    ]);
  });

  it('shutdownExecutor: submit after shutdown(wait=false) raises the RuntimeError', async () => {
    const r = await run('ch07/shutdownExecutor');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/RuntimeError: cannot schedule new futures after shutdown/);
    expect(r.lines[0]).toBe('undefined');
    for (const n of [1, 2]) {
      expect(indexOf(r.lines, new RegExp(`^Executing Task ${n}$`))).toBeLessThan(
        indexOf(r.lines, new RegExp(`^Task ${n} Finished Executing$`)),
      );
    }
    expect(matching(r.lines, /Task [34]/)).toHaveLength(0);
  });

  it("exceptionThread: result() raises the task's error in the main thread", async () => {
    const r = await run('ch07/exceptionThread');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Error: Value entered is not an integer/);
    expect(r.stderr).toMatch(/at isEven \(.*exceptionThread\.ts/);
    expect(sorted(matching(r.lines, /^Checking if /))).toEqual([
      'Checking if 2 is even',
      'Checking if 3 is even',
      'Checking if t is even',
    ]);
    expect(r.lines).toContain('2 is even');
    expect(r.lines).toContain('3 is odd');
    // results printed before the error are the other two tasks' (as they completed)
    expect(
      sorted(matching(r.lines, /^Result of Task: /)).every((l) => /: (true|false)$/.test(l)),
    ).toBe(true);
    expect(matching(r.lines, /^Result of Task: /).length).toBeLessThanOrEqual(2);
  });

  it('asCompleted: each of the four URLs is crawled once and reported with 200', async () => {
    const r = await runOk('ch07/asCompleted');
    const attempts = matching(r.lines, /^Attempting to crawl URL: /).map((l) => l.split(': ')[1]);
    const base = /^(http:\/\/127\.0\.0\.1:\d+)\//.exec(attempts[0])![1];
    const urls = ['/', '/site/index.html', '/site/page-1.html', '/site/page-2.html'].map(
      (p) => `${base}${p}`,
    );
    expect(sorted(attempts)).toEqual(sorted(urls));
    const crawled = matching(r.lines, /^URL Crawled/);
    expect(sorted(crawled)).toEqual(
      sorted(urls.map((u) => `URL Crawled with status code: (200, '${u}')`)),
    );
    expect(r.lines).toHaveLength(8);
  });

  it('poolImprovement: the same verdicts three times, timed, and the no-GIL note', async () => {
    const r = await runOk('ch07/poolImprovement', [], { timeout: 90 });
    const verdicts = matching(r.lines, / is prime: /);
    expect(verdicts).toHaveLength(45);
    for (let i = 0; i < 45; i++) {
      const last = i % 15 === 14;
      expect(verdicts[i]).toMatch(new RegExp(`is prime: ${last ? 'False' : 'True'}$`));
    }
    expect(r.lines).toContainEqual(
      expect.stringMatching(/^\d+\.\d+ Seconds Needed for ProcessPoolExecutor$/),
    );
    expect(r.lines).toContainEqual(
      expect.stringMatching(/^\d+\.\d+ Seconds Needed for ThreadPoolExecutor$/),
    );
    expect(r.lines).toContainEqual(
      expect.stringMatching(/^\d+\.\d+ Seconds needed for single threaded execution$/),
    );
    expect(r.lines).toContainEqual(
      expect.stringMatching(
        /^Speed-up over one thread on \d+ CPUs: process pool x\d+\.\d\d, thread pool x\d+\.\d\d\.$/,
      ),
    );
    expect(r.lines.at(-1)).toMatch(/no GIL, so the thread pool speeds CPU-bound work up/);
  });
});
