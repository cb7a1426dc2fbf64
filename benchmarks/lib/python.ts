/**
 * Run a suite's CPython script as a child `python3` process. The script receives the suite's
 * params as JSON in argv[1] and prints one JSON object on stdout:
 * `{"figures": [{"id", "label", "value", "unit", "stats"?, "note"?} | {"id", "label", "skipped"}]}`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Measured } from './types.js';

export const PYTHON = process.env.PYTHON ?? 'python3';

export interface PythonRun {
  figures: Measured[];
  /** Why nothing was measured (no python3, script failed). */
  error?: string;
}

/** Run `script` with `params`; never throws (a failure becomes `error`). */
export function runPython(
  script: string,
  params: unknown,
  timeoutMs = 300_000,
): Promise<PythonRun> {
  if (!existsSync(script))
    return Promise.resolve({ figures: [], error: `no CPython script (${script})` });
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [script, JSON.stringify(params)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ figures: [], error: `cannot run ${PYTHON}: ${e.message}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        const why = signal ? `killed by ${signal}` : `exit code ${code}`;
        resolve({
          figures: [],
          error: `${script} failed (${why}): ${err.trim().split('\n').slice(-3).join(' / ')}`,
        });
        return;
      }
      try {
        const parsed = JSON.parse(out.trim().split('\n').pop() ?? '') as { figures: Measured[] };
        resolve({ figures: parsed.figures.map((f) => ({ ...f, source: 'python' as const })) });
      } catch (e) {
        resolve({ figures: [], error: `${script} printed no JSON: ${String(e)}` });
      }
    });
  });
}

/** `Python 3.11.7`, or null if python3 cannot be run. */
export function pythonVersion(): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [
      '-c',
      'import sys, platform; print(platform.python_implementation(), sys.version.split()[0])',
    ]);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code === 0 ? out.trim() : null));
  });
}
