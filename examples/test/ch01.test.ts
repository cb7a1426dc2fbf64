import { availableParallelism, cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { expectFactorisation, matching, runOk } from './helpers.js';

describe('chapter 1', () => {
  it('simpleCounter counts 0 to 9', async () => {
    const r = await runOk('ch01/simpleCounter');
    const expected = ['Single Threaded Counter'];
    for (let i = 0; i < 10; i++)
      expected.push(`The Current Counter is ${i}`, '-------------------------');
    expect(r.lines).toEqual(expected);
  });

  it('getCPUCount prints the number of CPUs', async () => {
    const r = await runOk('ch01/getCPUCount');
    expect(r.lines).toEqual([String(cpus().length || availableParallelism())]);
  });

  it('sequentialCalculation factorises every number', async () => {
    const r = await runOk('ch01/sequentialCalculation', ['--iterations', '2000']);
    expect(r.lines[0]).toBe('Starting number crunching');
    const results = matching(r.lines, /^\[/);
    expect(results).toHaveLength(2000);
    for (const line of results) expectFactorisation(line, 20_000, 100_000_000);
    expect(r.lines.at(-1)).toMatch(/^Execution Time: \d+(\.\d+)?(e-\d+)?$/);
  });

  for (const [name, done] of [
    ['sequentialImage', /^Saved image-(\d)\.jpg \(40960 bytes\)$/],
    ['concurrentImage', /^Completed Download of image-(\d)\.jpg \(40960 bytes\)$/],
  ] as const) {
    it(`${name} downloads ten images from the local server`, async () => {
      const r = await runOk(`ch01/${name}`);
      const starts = matching(
        r.lines,
        /^Downloading Image from {2}http:\/\/127\.0\.0\.1:\d+\/image\/\d\.jpg$/,
      );
      expect(starts.map((l) => l.slice(-5, -4)).sort()).toEqual([
        '0',
        '1',
        '2',
        '3',
        '4',
        '5',
        '6',
        '7',
        '8',
        '9',
      ]);
      const finished = matching(r.lines, done).map((l) => done.exec(l)![1]);
      expect(finished.sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
      expect(r.lines.at(-1)).toMatch(/^Total Execution Time \d+\.\d+$/);
    });
  }

  it('concurrentCalculation: ten processes (own PIDs) factorise their share', async () => {
    const r = await runOk('ch01/concurrentCalculation', ['--iterations', '50']);
    expect(r.lines[0]).toBe('Starting number crunching');
    const results = matching(r.lines, /^\[/);
    expect(results).toHaveLength(500);
    for (const line of results) expectFactorisation(line, 20_000, 100_000_000);
    const done = matching(r.lines, /^Process-\d+ \(pid \d+\) done$/);
    expect(done.map((l) => l.split(' ')[0]).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `Process-${i + 1}`).sort(),
    );
    const pids = new Set(done.map((l) => /pid (\d+)/.exec(l)![1]));
    expect(pids.size).toBe(10);
    expect(r.lines.at(-1)).toMatch(/^Execution Time: \d+\.\d+$/);
  });
});
