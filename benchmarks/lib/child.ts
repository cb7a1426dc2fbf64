/**
 * Run an exported function of a suite module in a fresh child Node process (memory figures
 * need a process of their own: a clean heap, and `--expose-gc` for `gc()`).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BOOT = fileURLToPath(new URL('./child-boot.ts', import.meta.url));
const CWD = fileURLToPath(new URL('..', import.meta.url));

/**
 * `node <nodeFlags> --import tsx lib/child-boot.ts` calling `exportName(...args)` from
 * `moduleUrl` (pass `import.meta.url`); resolves with the JSON it prints.
 */
export function inChildProcess<R = unknown>(
  moduleUrl: string,
  exportName: string,
  args: unknown[],
  nodeFlags: string[] = ['--expose-gc'],
): Promise<R> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeFlags, '--import', 'tsx', BOOT, moduleUrl, exportName, JSON.stringify(args)],
      { cwd: CWD, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`child ${exportName} exited with code ${code}: ${err.trim()}`));
        return;
      }
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as R);
      } catch (e) {
        reject(new Error(`child ${exportName} printed no JSON (${String(e)}): ${out}${err}`));
      }
    });
  });
}
