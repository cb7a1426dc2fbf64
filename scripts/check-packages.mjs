/**
 * Packaging checks: packs every published package (`pnpm pack`, so `workspace:*` becomes a real
 * version, exactly what npm would receive) into a temporary directory, then runs publint
 * (package.json fields against the packed files) and @arethetypeswrong/cli (type resolution
 * under node10, node16 CJS/ESM and bundler) on each tarball; then type-checks an ESM and a
 * CommonJS consumer of every entry point with `skipLibCheck` off, which catches published
 * declarations that contradict themselves (a member stripped as `@internal` that an
 * `implements` clause still needs). Needs `pnpm build` first.
 * Fails on any publint warning or error, any attw problem and any type error.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const manifest = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => !manifest(dir).private);

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

/** Every entry point (`@threadkit/core`, `@threadkit/core/internal`, …) imported from ESM and CJS. */
async function checkConsumers() {
  const specifiers = packages.flatMap((dir) => {
    const { name, exports } = manifest(dir);
    return Object.keys(exports)
      .filter((key) => key !== './package.json')
      .map((key) => (key === '.' ? name : `${name}/${key.slice(2)}`));
  });
  // Inside the examples package, which depends on every package, so the specifiers resolve.
  const dir = join(root, 'examples', `.consumer-check-${process.pid}`);
  mkdirSync(dir);
  try {
    const lines = specifiers.map((s, i) => `import * as m${i} from '${s}';`);
    const names = specifiers.map((_, i) => `m${i}`).join(', ');
    writeFileSync(join(dir, 'esm.mts'), `${lines.join('\n')}\nexport { ${names} };\n`);
    const cjs = specifiers.map((s, i) => `import m${i} = require('${s}');`);
    writeFileSync(join(dir, 'cjs.cts'), `${cjs.join('\n')}\nexport { ${names} };\n`);
    const compilerOptions = {
      module: 'Node16',
      moduleResolution: 'Node16',
      target: 'ES2022',
      lib: ['ES2024', 'esnext.disposable'],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
    };
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions, files: ['esm.mts', 'cjs.cts'] }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')]);
    console.log(`✓ tsc (skipLibCheck off) ${specifiers.join(', ')}`);
  } catch (err) {
    failed = true;
    console.error(`✗ tsc (skipLibCheck off)\n${err.stdout ?? ''}${err.stderr ?? err}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  await Promise.all([...packages.map(check), checkConsumers()]);
} finally {
  rmSync(out, { recursive: true, force: true });
}
if (failed) process.exit(1);
