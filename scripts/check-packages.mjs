/**
 * Packaging checks: packs every published package (`pnpm pack`, so `workspace:*` becomes a real
 * version, exactly what npm would receive) into a temporary directory, then runs publint
 * (package.json fields against the packed files) and @arethetypeswrong/cli (type resolution
 * under node10, node16 CJS/ESM and bundler) on each tarball. Needs `pnpm build` first.
 * Fails on any publint warning or error and any attw problem.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);

const out = mkdtempSync(join(tmpdir(), 'threadkit-pack-'));
let failed = false;

async function check(dir) {
  const { stdout } = await run('pnpm', ['pack', '--pack-destination', out], { cwd: dir });
  const tarball = stdout.trim().split('\n').pop();
  const results = await Promise.allSettled([
    run(bin('publint'), ['run', tarball, '--strict', '--level', 'warning']),
    run(bin('attw'), [tarball, '--format', 'ascii']),
  ]);
  for (const [tool, r] of [
    ['publint', results[0]],
    ['attw', results[1]],
  ]) {
    const text = r.status === 'fulfilled' ? r.value.stdout : `${r.reason.stdout}${r.reason.stderr}`;
    if (r.status === 'rejected') {
      failed = true;
      console.error(`✗ ${tool} ${tarball}\n${text}`);
    } else {
      console.log(`✓ ${tool} ${tarball.replace(`${out}/`, '')}`);
    }
  }
}

try {
  await Promise.all(packages.map(check));
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (failed) process.exit(1);
