/**
 * Runs an example script as a child process (node + tsx's loader), in fast mode, and hands
 * back its output. Scripts run one at a time within a test file (vitest runs test files in
 * parallel), so the whole set stays within two cores.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'vitest';

export const examplesDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** The environment minus what lib/cli.ts hands from a script to its own threads. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.THREADKIT_EXAMPLE_ARGS;
  delete env.THREADKIT_FAST;
  return env;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout split into lines, without the trailing empty one. */
  lines: string[];
  /** Wall time in seconds. */
  seconds: number;
}

/**
 * Run `examples/<name>.ts --fast ...args` (or any script path relative to examples/, or
 * `node` arguments when `raw` is set) and wait for it to end. Kills it after `timeout` s.
 */
export function run(
  name: string,
  args: string[] = [],
  options: { timeout?: number; env?: Record<string, string>; fast?: boolean } = {},
): Promise<RunResult> {
  const { timeout = 45, env = {}, fast = true } = options;
  const file = name.endsWith('.ts') ? join(examplesDir, name) : join(examplesDir, `${name}.ts`);
  const argv = ['--import', tsxLoader, file, ...(fast ? ['--fast'] : []), ...args];
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: examplesDir,
      env: { ...cleanEnv(), ...(fast ? { THREADKIT_FAST: '1' } : {}), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${name} did not finish within ${timeout} s\nstdout:\n${stdout}\nstderr:\n${stderr}`,
        ),
      );
    }, timeout * 1000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const lines = stdout.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      resolve({ code, signal, stdout, stderr, lines, seconds: (performance.now() - t0) / 1000 });
    });
  });
}

/** Run and check that it ended well (exit code 0, nothing on stderr). */
export async function runOk(
  name: string,
  args: string[] = [],
  options: Parameters<typeof run>[2] = {},
) {
  const r = await run(name, args, options);
  if (r.code !== 0 || r.stderr.trim() !== '') {
    throw new Error(
      `${name} failed (code ${r.code}, signal ${r.signal})\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`,
    );
  }
  return r;
}

/** Lines matching `re`. */
export function matching(lines: string[], re: RegExp): string[] {
  return lines.filter((l) => re.test(l));
}

/** Index of the first line matching `re` (fails the test if there is none). */
export function indexOf(lines: string[], re: RegExp): number {
  const i = lines.findIndex((l) => re.test(l));
  expect(i, `no line matches ${re}\n${lines.join('\n')}`).toBeGreaterThanOrEqual(0);
  return i;
}

/** Parse `[2, 3, 5]` into numbers. */
export function parseList(line: string): number[] {
  const body = line.trim().slice(1, -1).trim();
  return body === '' ? [] : body.split(',').map((x) => Number(x.trim()));
}

/** Whether `n` is prime (for checking factorisations). */
export function isPrime(n: number): boolean {
  if (n < 2 || !Number.isInteger(n)) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/** Check a printed factorisation: every factor prime, ascending, product in [lo, hi]. */
export function expectFactorisation(line: string, lo: number, hi: number): void {
  const factors = parseList(line);
  expect(factors.length).toBeGreaterThan(0);
  for (let i = 0; i < factors.length; i++) {
    expect(isPrime(factors[i]), `${factors[i]} in ${line} is not prime`).toBe(true);
    if (i > 0) expect(factors[i]).toBeGreaterThanOrEqual(factors[i - 1]);
  }
  const product = factors.reduce((a, b) => a * b, 1);
  expect(product).toBeGreaterThanOrEqual(lo);
  expect(product).toBeLessThanOrEqual(hi);
}
