/**
 * Worker processes for the tests: `threadkit-worker` (the built CLI) started in a given
 * working directory, ready once it printed its ready line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const APP_DIR = join(PACKAGE_DIR, 'test', 'fixtures', 'app');
const CLI = join(PACKAGE_DIR, 'dist', 'cli.js');

/** A running `threadkit-worker`. */
export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Output so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or signal name) once it exited. */
  exited: Promise<number | string>;
}

/** Start `threadkit-worker --connection url --queue queue ...args` in `cwd`. */
export function startWorkerProcess(
  url: string,
  queue: string,
  cwd: string,
  args: string[] = [],
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [CLI, '--connection', url, '--queue', queue, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal as string)));
  });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('threadkit-worker ready')) {
        resolve({ child, pid: child.pid as number, output: () => out, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    exited.then((code) => reject(new Error(`worker exited (${code}) before it was ready: ${out}`)));
  });
}

/** Stop workers (SIGKILL for those still running) and wait until they are gone. */
export async function killAll(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers)
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
}

/** A copy of the test app in a temporary directory (with node_modules linked), and its remover. */
export function copyOfApp(): { dir: string; remove(): void } {
  const base = mkdtempSync(join(tmpdir(), 'threadkit-app-'));
  const dir = join(base, 'app');
  cpSync(APP_DIR, dir, { recursive: true });
  symlinkSync(join(PACKAGE_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(base, { recursive: true, force: true }) };
}

/** Resolves once `check()` is true, looking every 20 ms; rejects after `seconds`. */
export async function until(check: () => boolean, seconds = 20, what = 'condition'): Promise<void> {
  const end = performance.now() + seconds * 1000;
  while (!check()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
