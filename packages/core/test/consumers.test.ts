import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runNode } from './helpers.js';

describe('package consumers', () => {
  it('type-check as ESM (import condition) and as CommonJS (require condition)', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const out = execFileSync(
      process.execPath,
      [tsc, '-p', join(FIXTURES, 'consumers', 'tsconfig.json')],
      {
        encoding: 'utf8',
      },
    );
    expect(out).toBe('');
  });

  it('run as CommonJS (require) and as ESM (import), sharing one library in a process', () => {
    const cjs = runNode([
      '-e',
      "const c = require('@threadkit/core'); const l = new c.Lock(); console.log(typeof c.Thread, l.acquire(), l.locked())",
    ]);
    expect(cjs.stdout.trim()).toBe('function true true');
    const esm = runNode([
      '--input-type=module',
      '-e',
      "import { Lock } from '@threadkit/core'; import { createRequire } from 'node:module'; const c = createRequire(import.meta.url)('@threadkit/core'); const l = new Lock(); l.acquire(); console.log(c.getIdent() > 0, new c.Lock().locked())",
    ]);
    expect(esm.stdout.trim()).toBe('true false');
    expect(esm.stderr).toBe('');
  });
});
