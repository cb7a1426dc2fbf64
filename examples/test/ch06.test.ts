import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { indexOf, matching, runOk } from './helpers.js';

const outDir = mkdtempSync(join(tmpdir(), 'ch06-test-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const SECONDS = /^(\d+(\.\d+)?(e-\d+)?)/;

describe.concurrent('chapter 6', () => {
  it('unittest runs the real test file: setUp/tearDown around each of the 3 tests, all pass', async () => {
    const r = await runOk('ch06/unittest', [], { timeout: 60 });
    const before = 'This is run before all of our tests have a chance to execute';
    const after = 'This is executed after all of our tests have completed';
    expect(matching(r.lines, new RegExp(`^${before}$`))).toHaveLength(3);
    expect(matching(r.lines, new RegExp(`^${after}$`))).toHaveLength(3);
    expect(r.lines).toContain('Testing that our function works with positive tests');
    expect(r.stdout).toMatch(/✓ .*test_threaded_simple_function/);
    expect(r.stdout).toMatch(/Tests\s+3 passed \(3\)/);
  });

  it("threadException: the child thread's exception reaches the main thread through a Queue", async () => {
    const r = await runOk('ch06/threadException');
    expect(r.lines).toHaveLength(3);
    expect(r.lines[0]).toMatch(
      /^Error: Exception Thrown In Child Thread <Thread\(Thread-1 \(myThread\), started \d+\)>$/,
    );
    expect(r.lines[1]).toMatch(/^raised at: at myThread \(.*threadException\.ts:\d+:\d+\)$/);
    expect(r.lines[2]).toMatch(/^\(the main thread polled the queue \d+ times in vain/);
  });

  it('timeitCode: tinybench runs each function twice and prints each time', async () => {
    const r = await runOk('ch06/timeitCode');
    expect(r.lines.slice(0, 4)).toEqual([
      'Function 1 Executing',
      'Function 1 complete',
      'Function 1 Executing',
      'Function 1 complete',
    ]);
    expect(r.lines.slice(6, 10)).toEqual([
      'Function 2 executing',
      'Function 2 complete',
      'Function 2 executing',
      'Function 2 complete',
    ]);
    const times = [4, 5, 10, 11].map((i) => {
      expect(r.lines[i]).toMatch(/^\S+ Seconds: $/);
      return Number(SECONDS.exec(r.lines[i])![1]);
    });
    // 3 s and 2 s scaled by 0.05: at least the sleep, generously bounded above
    for (const t of times.slice(0, 2)) expect(t).toBeGreaterThanOrEqual(0.149);
    for (const t of times.slice(2)) expect(t).toBeGreaterThanOrEqual(0.099);
    for (const t of times) expect(t).toBeLessThan(5);
    expect(r.lines).toHaveLength(12);
  });

  it("timeitDecorator: the decorator prints the wrapped function's run time", async () => {
    const r = await runOk('ch06/timeitDecorator');
    expect(r.lines).toHaveLength(1);
    const m = /^Function long_runner took (\S+) seconds to run$/.exec(r.lines[0]);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(0.149); // three sleeps of 1–2 s x 0.05
  });

  it('timer: the `using` Timer reports the time of its block', async () => {
    const r = await runOk('ch06/timer');
    expect(r.lines).toHaveLength(1);
    const m = /^Time taken to execute function: (\S+)$/.exec(r.lines[0]);
    expect(Number(m![1])).toBeGreaterThanOrEqual(0.024);
  });

  it('timeitContext times a request to the local server with the Timer', async () => {
    const r = await runOk('ch06/timeitContext');
    expect(r.lines).toHaveLength(1);
    const m = /^Elapsed Time: (\S+) seconds$/.exec(r.lines[0]);
    expect(Number(m![1])).toBeGreaterThanOrEqual(0.024); // the server's 0.5 s x 0.05 latency
  });

  it('timeitTest: three threads of five waits each, overlapping', async () => {
    const r = await runOk('ch06/timeitTest');
    expect(matching(r.lines, /^Starting wait time$/)).toHaveLength(15);
    expect(matching(r.lines, /^Completed Wait$/)).toHaveLength(15);
    const m = /^Wall time (\S+) s for (\S+) s of sleeps in all/.exec(r.lines.at(-1)!);
    expect(m).not.toBeNull();
    const slept = Number(m![2]);
    expect(slept).toBeGreaterThanOrEqual(0.75 - 1e-9); // 15 sleeps of at least 1 s x 0.05
    expect(slept).toBeLessThanOrEqual(3.75 + 1e-9); // and at most 5 s
  });

  it('profileTest prints the top functions of its --cpu-prof profile and writes an SVG chart', async () => {
    const r = await runOk('ch06/profileTest', ['--out-dir', outDir]);
    expect(r.lines.slice(0, 2)).toEqual(['Slow Function Executed', 'Fast Function Executed']);
    const profile = join(outDir, 'profileTest.cpuprofile');
    expect(r.lines[2]).toBe(`CPU profile: ${profile}`);
    expect(r.lines[3]).toBe('Top functions by self time:');
    const rows = matching(r.lines, /^\s+\d+\.\d ms\s+\d+\.\d% {2}\S/);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    // the rows come from the profile the child wrote: its function names are in it
    const json = JSON.parse(readFileSync(profile, 'utf8'));
    const names = new Set(json.nodes.map((n: any) => n.callFrame.functionName || '(anonymous)'));
    // the name is everything after the share column (names may hold spaces: '(garbage collector)')
    for (const row of rows) {
      const name = row.replace(/^\s+\d+\.\d ms\s+\d+\.\d% {2}/, '').split(/\s{2,}/)[0];
      expect(names.has(name), name).toBe(true);
    }
    expect(names.has('slowFunction')).toBe(true);
    const chart = join(outDir, 'mprofile.svg');
    const memory = r.lines[indexOf(r.lines, /^Memory: /)];
    expect(memory).toMatch(/^Memory: \d+ samples, peak \d+\.\d MiB; chart: /);
    expect(memory.endsWith(chart)).toBe(true);
    expect(existsSync(chart)).toBe(true);
    const svg = readFileSync(chart, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const points = /<polyline [^>]*points="([^"]*)"/.exec(svg)![1].split(' ');
    expect(points.length).toBe(Number(/^Memory: (\d+)/.exec(memory)![1]));
  });
});
