import { describe, expect, it } from 'vitest';
import { runNode } from './helpers.js';

// Each entry script starts an inline target, a threadable module function and an exported
// Thread subclass, and prints what they wrote into shared memory.
const EXPECTED = '[14,15,41]';

describe('target forms in every kind of entry script', () => {
  it('works in an ESM entry script', () => {
    const r = runNode(['entry-esm.mjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(EXPECTED);
    expect(r.status).toBe(0);
  });

  it('works in a CommonJS entry script', () => {
    const r = runNode(['entry-cjs.cjs']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(EXPECTED);
    expect(r.status).toBe(0);
  });

  it('works in a TypeScript entry script run by tsx (module targets written in .ts)', () => {
    const r = runNode(['--import', 'tsx', 'entry-ts.ts']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(EXPECTED);
    expect(r.status).toBe(0);
  });
});
