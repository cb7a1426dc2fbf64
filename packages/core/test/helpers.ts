/** Test helpers: run a child node process and capture what it printed. */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run `node [...nodeArgs] file` (bounded by a generous timeout so a hang fails, not stalls). */
export function runNode(
  args: string[],
  options: { timeoutMs?: number; input?: string; env?: Record<string, string> } = {},
): ChildResult {
  const r = spawnSync(process.execPath, args, {
    cwd: FIXTURES,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 30_000,
    input: options.input,
    env: { ...process.env, NODE_OPTIONS: '', ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Run a snippet of ESM code as a child script (it can import @threadkit/core). */
export function runScript(code: string, options: { timeoutMs?: number } = {}): ChildResult {
  return runNode(['--input-type=module', '-e', code], options);
}
