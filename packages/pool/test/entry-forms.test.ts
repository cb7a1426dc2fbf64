// Entry scripts of every kind (ESM, CommonJS, TypeScript under tsx) run pool tasks of every
// form, in threads and in processes, and exit cleanly with nothing on stderr.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './helpers.js';

function run(args: string[]) {
  const r = spawnSync(process.execPath, args, {
    cwd: FIXTURES,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

describe('entry scripts', () => {
  it('ESM', () => {
    const r = run(['entry-esm.mjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('[42,42,42]');
    expect(r.status).toBe(0);
  });

  it('CommonJS', () => {
    const r = run(['entry-cjs.cjs']);
    expect(r.stderr).toBe('');
    // Pool threads and processes of a CommonJS program boot on the CommonJS build.
    expect(r.stdout).toBe('[42,42,"commonjs",42,"commonjs"]');
    expect(r.status).toBe(0);
  });

  it('TypeScript under tsx, with .ts module targets in threads and processes', () => {
    const r = run(['--import', 'tsx', 'entry-ts.ts']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^\[42,42,"TsEntry_[01]",42\]$/);
    expect(r.status).toBe(0);
  });
});
