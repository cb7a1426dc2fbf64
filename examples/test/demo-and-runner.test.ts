import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listExamples } from '../run.js';
import { examplesDir, run, runOk } from './helpers.js';

/** BOOK.md's count of in-scope examples for chapters 1–8. */
const IN_SCOPE = { ch01: 6, ch02: 4, ch03: 14, ch04: 11, ch05: 15, ch06: 8, ch07: 13, ch08: 20 };

/** Ports named differently from their original, so that nothing is shadowed. */
const RENAMED: Record<string, string> = { 'ch08/simpleProcess': 'Chapter 08/subprocess.py' };

describe('demo', () => {
  it('shows named threads, enumerate(), a locked counter and a daemon thread', async () => {
    const r = await runOk('demo', [], { fast: false });
    // the four "added" lines come in any order, around the "Running" line
    expect(r.lines.slice(0, 5).sort()).toEqual([
      'Running: MainThread, heartbeat, alice, bob, carol, dave',
      ...['alice', 'bob', 'carol', 'dave'].map((n) => `${n} added 25000`),
    ]);
    expect(r.lines[5]).toBe(
      'Counter: 100000 (4 threads x 25000 increments under one Lock: none lost)',
    );
    expect(r.lines[6]).toBe('Still running: MainThread, heartbeat (daemon)');
    expect(r.lines[7]).toMatch(
      /^The heartbeat beat [1-9]\d* times meanwhile; as a daemon it stops when the program ends\.$/,
    );
    expect(r.lines).toHaveLength(8);
  });
});

describe('runner', () => {
  const all = listExamples();

  it('has every in-scope example of chapters 1–8, each naming its original', () => {
    for (const [ch, n] of Object.entries(IN_SCOPE)) {
      expect(
        all.filter((e) => e.name.startsWith(`${ch}/`)),
        ch,
      ).toHaveLength(n);
    }
    for (const e of all) {
      expect(e.shows, e.name).not.toBe('');
      if (e.name !== 'demo') {
        const [ch, base] = e.name.split('/');
        expect(e.original).toBe(RENAMED[e.name] ?? `Chapter ${ch.slice(2)}/${base}.py`);
      }
    }
  });

  it('--help lists every script, one line each', async () => {
    const r = await runOk('run', ['--help'], { fast: false });
    for (const e of all) {
      expect(r.lines.filter((l) => l.startsWith(`  ${e.name} `))).toHaveLength(1);
    }
  });

  it('runs one script by name, and a chapter', async () => {
    const one = await runOk('run', ['ch01/simpleCounter'], { fast: false });
    expect(one.lines[0]).toBe('Single Threaded Counter');
    const chapter = await runOk('run', ['ch02', '--fast', '--iterations', '3'], { fast: false });
    for (const name of ['contextSwitching', 'ioBottleneck', 'ioBottleneck3', 'taskSheduler']) {
      expect(chapter.lines).toContain(`=== ch02/${name} (Chapter 02/${name}.py) ===`);
    }
    expect(chapter.lines.at(-1)).toBe('4 of 4 examples ran successfully.');
  });

  it('says so for an unknown name', async () => {
    const r = await run('run', ['nosuchexample'], { fast: false });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/No example named 'nosuchexample'/);
  });

  it("README's table is the runner's table", async () => {
    const r = await runOk('run', ['--table'], { fast: false });
    const readme = readFileSync(join(examplesDir, 'README.md'), 'utf8');
    // rows of the examples table, cells trimmed (the formatter pads the columns)
    const rows = (text: string) =>
      text
        .split('\n')
        .filter((l) => /^\| \d+ +\| `Chapter/.test(l))
        .map((l) => l.split('|').map((c) => c.trim()));
    expect(rows(r.stdout)).toHaveLength(91);
    expect(rows(readme)).toEqual(rows(r.stdout));
  });
});
