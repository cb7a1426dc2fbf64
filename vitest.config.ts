import { defineConfig } from 'vitest/config';

// Tests run in child processes ('forks'), not worker threads: threadkit's tests must run on a
// real main thread, as user programs do (isMainThread, process exit, Atomics.wait on main).
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
