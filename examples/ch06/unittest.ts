/**
 * Original: Chapter 06/unittest.py
 * Shows: unit tests with setUp/tearDown, and a test of threaded code, run by the test runner.
 *
 * The tests are a real vitest file, examples/test/unittest.test.ts (so they also run with the
 * project's suite): unittest's setUp/tearDown are beforeEach/afterEach, each test_ method an
 * `it`, assertEqual/assertNotEqual are expect().toBe()/.not.toBe(). Python's unbounded int
 * becomes a bigint. The port adds a threaded test (four threads, a shared counter, a Lock).
 * This script runs that file with vitest (`unittest.main()`) and passes its output and exit
 * code on. Fixed: the original's name shadows Python's unittest module (it imports itself).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = createRequire(import.meta.url).resolve('vitest/vitest.mjs');
const r = spawnSync(
  process.execPath,
  [vitest, 'run', 'examples/test/unittest.test.ts', '--reporter=verbose', '--color=false'],
  {
    cwd: join(examples, '..'),
    stdio: 'inherit',
    env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
  },
);
process.exitCode = r.status ?? 1;
