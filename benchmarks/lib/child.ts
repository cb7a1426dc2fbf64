/**
 * Run an exported function of a module in a fresh child Node process (under tsx). The runner
 * uses it to give every suite a process of its own (no JIT feedback, warm workers or heap left
 * over from another suite); memory figures use it for a clean heap and `--expose-gc`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BOOT = fileURLToPath(new URL('./child-boot.ts', import.meta.url));
const CWD = fileURLToPath(new URL('..', import.meta.url));

export interface ChildOptions {
  /** Node flags, e.g. `['--expose-gc']` (the default). */
  nodeFlags?: string[];
  /** Let the child's stderr through (progress lines) instead of collecting it for errors. */
  inheritStderr?: boolean;
}

/**
 * `node <nodeFlags> --import tsx lib/child-boot.ts` calling `exportName(...args)` from
 * `moduleUrl` (pass `import.meta.url`); resolves with the JSON value it returns.
 */
export function inChildProcess<R = unknown>(
  moduleUrl: string,
  exportName: string,
  args: unknown[],
  options: ChildOptions = {},
): Promise<R> {
  const { nodeFlags = ['--expose-gc'], inheritStderr = false } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeFlags, '--import', 'tsx', BOOT, moduleUrl, exportName, JSON.stringify(args)],
      { cwd: CWD, stdio: ['ignore', 'pipe', inheritStderr ? 'inherit' : 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        reject(
          new Error(`child process running ${exportName} ${why}${err ? `: ${err.trim()}` : ''}`),
        );
        return;
      }
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as R);
      } catch (e) {
        reject(
          new Error(
            `child process running ${exportName} printed no JSON (${String(e)}): ${out}${err}`,
          ),
        );
      }
    });
  });
}
