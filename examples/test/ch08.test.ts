import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { matching, runOk } from './helpers.js';

const sorted = (xs: string[]) => [...xs].sort();
const pidOf = (line: string, re: RegExp) => Number(re.exec(line)![1]);

const logDir = mkdtempSync(join(tmpdir(), 'ch08-test-'));
afterAll(() => rmSync(logDir, { recursive: true, force: true }));

describe.concurrent('chapter 8', () => {
  it('daemonProcess: the daemon child runs while the main process carries on', async () => {
    const r = await runOk('ch08/daemonProcess', ['--scale', '0.25']);
    expect(r.lines[0]).toBe("Main process: <_MainProcess name='MainProcess' started>");
    expect(r.lines[1]).toBe('We can carry on as per usual and our daemon will continue to execute');
    // The daemon sleeps 0.75 s and the main process 2.75 s, but a child's boot on a loaded
    // machine can take longer: a daemon still running when the program ends is stopped with
    // it, so what it printed is a prefix of its three lines, in order.
    const daemon = r.lines.slice(2);
    expect(daemon.length).toBeLessThanOrEqual(3);
    const expected = [
      /^Starting my Daemon Process$/,
      /^Daemon process started: <Process name='Process-1' pid=\d+ parent=\d+ started daemon>$/,
      /^Daemon process terminating$/,
    ];
    daemon.forEach((line, i) => {
      expect(line).toMatch(expected[i]);
    });
  });

  it('identifyProcess: main and child have different PIDs', async () => {
    const r = await runOk('ch08/identifyProcess');
    expect(r.lines).toHaveLength(3);
    const main = pidOf(r.lines[0], /^Main process PID: (\d+)$/);
    const child = pidOf(r.lines[1], /^Child Process With PID: (\d+)$/);
    expect(child).not.toBe(main);
    expect(r.lines[2]).toBe('Child process terminating');
  });

  it('nameProcess: the child sees its name', async () => {
    const r = await runOk('ch08/nameProcess');
    expect(r.lines).toEqual(['My-Awesome-Process Just performed X']);
  });

  it('spawnProcess (fixed): the child prints its PID; the program waits for it', async () => {
    const r = await runOk('ch08/spawnProcess');
    expect(r.lines).toHaveLength(4);
    const main = pidOf(r.lines[0], /^Main process PID: (\d+)$/);
    expect(r.lines[1]).toMatch(/^My Process has started/);
    expect(pidOf(r.lines[2], /^Child Process PID: (\d+)$/)).not.toBe(main);
    expect(r.lines[3]).toBe('Child Process ending');
  });

  it('terminateProcess: terminate() gives exitcode -15 (-SIGTERM)', async () => {
    const r = await runOk('ch08/terminateProcess');
    const body = r.lines.filter((l) => !l.startsWith('Child Process PID: '));
    expect(body[0]).toMatch(/^Main process PID: \d+$/);
    expect(body.slice(1)).toEqual([
      'My Process has started',
      'Terminating Child Process',
      'Child Process Successfully terminated',
      'exitcode: -15',
    ]);
  });

  it('subclass: one child, then one per CPU, each with its own PID', async () => {
    const r = await runOk('ch08/subclass');
    const main = pidOf(r.lines[0], /^Main Process PID: (\d+)$/);
    const children = r.lines.slice(1).map((l) => pidOf(l, /^Child Process PID: (\d+)$/));
    const { availableParallelism } = await import('node:os');
    expect(children).toHaveLength(1 + availableParallelism());
    expect(new Set([main, ...children]).size).toBe(children.length + 1);
  });

  it('simpleProcess (subprocess.py): start, join, end', async () => {
    const r = await runOk('ch08/simpleProcess');
    expect(r.lines).toEqual([
      'Executing Main Process',
      'Creating Child Process',
      'Currently Executing Child Process',
      "This process has it's own instance of the GIL",
      'Child Process has terminated, terminating main process',
    ]);
  });

  it('pipes: the parent reads what the child wrote', async () => {
    const r = await runOk('ch08/pipes');
    expect(r.lines).toEqual(['Attempting to pipein to pipe', 'Pipe: My Name is Elliot']);
  });

  it("exceptionHandling: the child's traceback arrives through the pipe", async () => {
    const r = await runOk('ch08/exceptionHandling');
    expect(r.lines[0]).toBe('Exception: Error: This broke stuff');
    expect(r.lines[1]).toMatch(/^ +at MyProcess\.run \(.*exceptionHandling\.ts:\d+:\d+\)$/);
  });

  it('applyAsync: results 0, 2, 4, 6 in order; tasks ran in worker processes', async () => {
    const r = await runOk('ch08/applyAsync');
    expect(r.lines[0]).toBe('apply_async');
    expect(matching(r.lines, /^Result: /)).toEqual([
      'Result: 0',
      'Result: 2',
      'Result: 4',
      'Result: 6',
    ]);
    const pids = matching(r.lines, /^Task processed by Process \d+$/);
    expect(pids).toHaveLength(4);
    for (const l of pids) expect(pidOf(l, /(\d+)$/)).not.toBe(0);
    expect(r.lines).toHaveLength(9);
  });

  it('applyPool (fixed): get() in submit order gives 8, 6, 4, 2; every callback ran', async () => {
    const r = await runOk('ch08/applyPool');
    expect(r.lines[0]).toBe('apply_async');
    expect(r.lines.filter((l) => /^\d+$/.test(l))).toEqual(['8', '6', '4', '2']);
    expect(sorted(matching(r.lines, /^callback: /))).toEqual(
      sorted(['callback: 8', 'callback: 6', 'callback: 4', 'callback: 2']),
    );
    expect(r.lines).toHaveLength(9);
  });

  it('contextPool: map of a print-only task is [None, None, None]', async () => {
    const r = await runOk('ch08/contextPool');
    expect(sorted(r.lines.slice(0, 3))).toEqual(['2', '3', '4']);
    expect(r.lines[3]).toBe('[None, None, None]');
    expect(r.lines).toHaveLength(4);
  });

  it('mapPool: imapUnordered yields 3, 3, 4, 5 as they finish', async () => {
    const r = await runOk('ch08/mapPool');
    expect(sorted(r.lines)).toEqual(['3', '3', '4', '5']);
  });

  it('maxTasks: the worker PID changes every 2 tasks; [6, 2, 4, 2] then [6, 2, 4, 6]', async () => {
    const r = await runOk('ch08/maxTasks');
    expect(r.lines).toHaveLength(10);
    expect(r.lines[4]).toBe('[6, 2, 4, 2]');
    expect(r.lines[9]).toBe('[6, 2, 4, 6]');
    const pids = [0, 1, 2, 3, 5, 6, 7, 8].map((i) => pidOf(r.lines[i], /^(\d+) Executed my task$/));
    for (let k = 0; k < 8; k += 2) expect(pids[k + 1]).toBe(pids[k]);
    expect(new Set(pids).size).toBe(4);
  });

  it('starmap gives [6, 2]', async () => {
    const r = await runOk('ch08/starmap');
    expect(r.lines).toEqual(['[6, 2]']);
  });

  it('starmapAsync gives [6, 2]', async () => {
    const r = await runOk('ch08/starmapAsync');
    expect(r.lines).toEqual(['[6, 2]']);
  });

  it('mpExample: Pool.map verdicts in order, all prime but the last, timed', async () => {
    const r = await runOk('ch08/mpExample');
    expect(r.lines[0]).toBe(`[${[...Array(14).fill('True'), 'False'].join(', ')}]`);
    expect(r.lines[1]).toMatch(/^\d+\.\d+ Seconds needed for multiprocessing pool$/);
    expect(r.lines).toHaveLength(2);
  });

  it('manager: the child reads x=1 from the Namespace and sets x=2', async () => {
    const r = await runOk('ch08/manager');
    expect(r.lines).toEqual(['Namespace(x=1)', '1', 'Namespace(x=2)']);
  });

  it('mpQueue: 2, 3 and 4 are each popped once, by three different processes', async () => {
    const r = await runOk('ch08/mpQueue');
    expect(r.lines).toHaveLength(3);
    const popped = r.lines.map((l) => /^Process (\d+) Popped (\d) from the shared Queue$/.exec(l)!);
    expect(sorted(popped.map((m) => m[2]))).toEqual(['2', '3', '4']);
    expect(new Set(popped.map((m) => m[1])).size).toBe(3);
  });

  it('logging (fixed format): pool workers log to the file with their process names', async () => {
    const file = join(logDir, 'myapp.log');
    const r = await runOk('ch08/logging', ['--log-file', file]);
    expect(r.lines[0]).toBe(`${file}:`);
    const log = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(r.lines.slice(1)).toEqual(log);
    expect(log).toHaveLength(10);
    const records = log.map(
      (l) =>
        /^(PoolWorker-\d+) +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO (.*)$/.exec(l) ??
        expect.fail(`not a log record: ${l}`),
    );
    const messages = records.map((m) => m[2]);
    for (const n of [2, 3, 4, 5, 6]) {
      const i = messages.indexOf(`${n} being processed`);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(messages[i + 1]).toBe(`Final Result: ${n * 2}`);
      expect(records[i + 1][1]).toBe(records[i][1]); // the same worker wrote both lines
    }
  });
});
