import { describe, expect, it } from 'vitest';
import { matching, runOk } from './helpers.js';

describe('chapter 2', () => {
  it('contextSwitching computes Fibonacci numbers and times them', async () => {
    const r = await runOk('ch02/contextSwitching');
    expect(r.lines[0]).toBe('F(29) = 514229');
    expect(r.lines[1]).toMatch(/^Total Execution Time \d+\.\d+$/);
  });

  it('ioBottleneck fetches the local example page', async () => {
    const r = await runOk('ch02/ioBottleneck');
    expect(r.lines[0]).toBe('Fetched 373 characters');
    expect(r.lines[1]).toMatch(/^Total Time To Fetch Page: \d+\.\d+ Seconds$/);
  });

  it('ioBottleneck3 lists the links and prints a real time (the bug fixed)', async () => {
    const r = await runOk('ch02/ioBottleneck3');
    expect(r.lines[0]).toMatch(/^Total Time To Fetch Page: \d+\.\d+ Seconds$/);
    expect(r.lines.slice(1, 4)).toEqual([
      '/domains/example',
      '/domains/reserved',
      '/site/index.html',
    ]);
    expect(r.lines[4]).toMatch(/^Total Execution Time: \d+\.\d+ Seconds$/);
    expect(r.lines).toHaveLength(5);
  });

  it('taskSheduler: two unsynchronised workers interleave on a shared counter', async () => {
    const r = await runOk('ch02/taskSheduler', ['--iterations', '15']);
    const a = matching(r.lines, /^Worker A is incrementing counter to -?\d+$/);
    const b = matching(r.lines, /^Worker B is decrementing counter to -?\d+$/);
    expect(a).toHaveLength(15);
    expect(b).toHaveLength(15);
    expect(r.lines.at(-2)).toMatch(/^Execution Time \d+\.\d+$/);
    expect(r.lines.at(-1)).toMatch(
      /^Final counter: -?\d+; 1 \+ 15 increments - 15 decrements = 1: (no update was lost|an update was lost!)$/,
    );
  });
});
