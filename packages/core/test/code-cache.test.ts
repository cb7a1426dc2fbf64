/**
 * The library bundle's V8 code cache (src/boot/code-cache.ts) and the one-bundle layout
 * (src/lib.ts): a program writes the cache once, later programs read it without writing it
 * again, a damaged or foreign entry is never trusted, and ESM and CommonJS importers in every
 * thread share one copy of the library.
 */
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runNode } from './helpers.js';

// A program that starts a thread on a module target and checks that the target saw the same
// library (its Lock class) from an ES module and from a CommonJS module, in the worker.
const PROGRAM = [
  '--input-type=module',
  '-e',
  `import { Lock, Thread } from '@threadkit/core';
   import { kinds } from './targets-kinds.mjs';
   const out = new Int32Array(new SharedArrayBuffer(8));
   const t = new Thread({ target: kinds, args: [out, new Lock()] });
   t.start();
   t.join();
   console.log(out[0], out[1]);`,
];

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'threadkit-v8-test-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const entries = (): string[] => readdirSync(dir).filter((f) => f.startsWith('lib.cjs-'));

describe('the code cache of the library bundle', () => {
  it('is written by the first program and read, not written again, by the next', () => {
    const env = { THREADKIT_V8_CACHE: dir };
    const first = runNode(PROGRAM, { env });
    expect(first.stderr).toBe('');
    expect(first.stdout).toBe('1 1\n');
    const [entry] = entries();
    expect(entries()).toHaveLength(1);
    expect(entry).toMatch(/\.bin$/);
    const written = statSync(join(dir, entry));
    expect(written.size).toBeGreaterThan(10_000);
    expect(written.mode & 0o077).toBe(0);

    const second = runNode(PROGRAM, { env });
    expect(second.stderr).toBe('');
    expect(second.stdout).toBe('1 1\n');
    // Accepted by V8 in both threads of the second program: neither rewrote it.
    expect(statSync(join(dir, entry)).mtimeMs).toBe(written.mtimeMs);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces a damaged entry instead of trusting it', () => {
    const env = { THREADKIT_V8_CACHE: dir };
    expect(runNode(PROGRAM, { env }).stdout).toBe('1 1\n');
    const [entry] = entries();
    writeFileSync(join(dir, entry), Buffer.alloc(4096, 7));
    const r = runNode(PROGRAM, { env });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1 1\n');
    expect(readFileSync(join(dir, entry)).equals(Buffer.alloc(4096, 7))).toBe(false);
  });

  it('is not used in a directory that others can write to', () => {
    chmodSync(dir, 0o777);
    const r = runNode(PROGRAM, { env: { THREADKIT_V8_CACHE: dir } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1 1\n');
    expect(entries()).toEqual([]);
  });

  it('can be turned off (THREADKIT_V8_CACHE=0): the library loads as plain CommonJS', () => {
    const r = runNode(PROGRAM, { env: { THREADKIT_V8_CACHE: '0' } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1 1\n');
  });
});

describe('one copy of the library', () => {
  it('is what ESM and CommonJS importers get, on the main thread and in workers', () => {
    const r = runNode(
      [
        '--input-type=module',
        '-e',
        `import * as esm from '@threadkit/core';
         import * as internal from '@threadkit/core/internal';
         import { createRequire } from 'node:module';
         const require = createRequire(process.cwd() + '/');
         const cjs = require('@threadkit/core');
         console.log(esm.Lock === cjs.Lock, new esm.Queue() instanceof cjs.Queue,
           internal.stateSlot === require('@threadkit/core/internal').stateSlot,
           Object.keys(esm).length === Object.keys(cjs).length);`,
      ],
      { env: { THREADKIT_V8_CACHE: dir } },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('true true true true\n');
  });
});
