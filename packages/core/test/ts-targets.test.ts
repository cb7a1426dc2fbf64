import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runNode } from './helpers.js';

// `.ts` module targets under tsx are compiled once into a cache directory and imported by
// workers as plain JavaScript (src/targets/ts-compile.ts). Each run gets a fresh cache.
const cache = mkdtempSync(join(tmpdir(), 'threadkit-ts-cache-'));
const edited = fileURLToPath(new URL(`./fixtures/tmp-edited-${process.pid}.ts`, import.meta.url));

function writeEdited(value: number): void {
  writeFileSync(
    edited,
    `import { threadable } from '@threadkit/core';\n` +
      `const value: number = ${value};\n` +
      `export const write = threadable(import.meta.url, function write(out: Int32Array): void {\n` +
      `  out[0] = value;\n});\n`,
  );
}

function run(env: Record<string, string> = {}) {
  const r = runNode(['--import', 'tsx', 'entry-ts-features.ts', edited], {
    env: { THREADKIT_TS_CACHE: cache, ...env },
  });
  expect(r.stderr).toBe(''); // nothing printed, at exit or before
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.trim());
}

// A cache directory others may write to is never used (its files are code workers run).
const openCache = mkdtempSync(join(tmpdir(), 'threadkit-ts-open-'));
chmodSync(openCache, 0o777);

afterAll(() => {
  rmSync(edited, { force: true });
  rmSync(cache, { recursive: true, force: true });
  rmSync(openCache, { recursive: true, force: true });
});

describe('.ts module targets compiled once for every worker', () => {
  it('keep TypeScript semantics, run the top level once per thread, and follow edits', () => {
    writeEdited(1);
    const first = run();
    for (let i = 0; i < 3; i++) {
      const [loads, color, tripled, url, stack] = first.threads.slice(i * 6, i * 6 + 5);
      expect(loads).toBe(1); // the module's top level ran once in this thread
      expect(color).toBe(4); // an enum of a .ts dependency imported as './ts-features-dep.js'
      expect(tripled).toBe(60); // a standard decorator
      expect(url).toBe(1); // import.meta.url is the .ts file's
      expect(stack).toBe(1); // stack traces name the .ts file
    }
    const workerIds = new Set([0, 1, 2].map((i) => first.threads[i * 6 + 5]));
    expect(workerIds.size).toBe(3);
    expect(first.probe).toBe(101); // a Thread subclass of the module, top level run once
    expect(first.tsx).toBe(7); // a module left to tsx (computed import()) still works
    expect(first.edited).toBe(1);
    expect(first.mainLoads).toBe(1); // the main thread's copy is tsx's, never a second one
    // ts-features.ts, its dependency and the edited module; not the one left to tsx.
    expect(first.compiled).toBe(3);

    writeEdited(2);
    const second = run();
    expect(second.edited).toBe(2); // recompiled after the edit
    expect(second.threads[0]).toBe(1);
    expect(readdirSync(cache).filter((f) => f.endsWith('.mjs'))).toHaveLength(3);
  });

  it('load through tsx in every worker when THREADKIT_TS_COMPILE=0', () => {
    writeEdited(3);
    const r = run({ THREADKIT_TS_COMPILE: '0' });
    expect(r.threads.slice(0, 5)).toEqual([1, 4, 60, 1, 1]);
    expect(r.edited).toBe(3);
    expect(r.probe).toBe(101);
  });

  it('load through tsx when the cache directory is writable by others', () => {
    writeEdited(4);
    const r = run({ THREADKIT_TS_CACHE: openCache });
    expect(r.threads.slice(0, 5)).toEqual([1, 4, 60, 1, 1]);
    expect(r.edited).toBe(4);
    expect(r.compiled).toBe(0); // nothing written there
  });
});
