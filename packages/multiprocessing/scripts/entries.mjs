/**
 * Writes the package's entry points over its bundle `dist/lib.cjs` (see src/lib.ts):
 * `index.cjs` loads it with @threadkit/core's code cache and exports its `index` namespace,
 * `index.js` is the ESM wrapper that re-exports it by name (one copy of the package for ESM and
 * CommonJS importers), `process-entry.cjs` is the child program. Run after tsup (`pnpm build`).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const HEAD = '// Written by scripts/entries.mjs after the build: see src/lib.ts.\n';
const LOAD = "require('@threadkit/core/internal').requireBundle(__dirname + '/lib.cjs')";

writeFileSync(
  join(dist, 'index.cjs'),
  `${HEAD}'use strict';
const ns = ${LOAD}.index;
if (!Object.prototype.hasOwnProperty.call(ns, '__esModule')) {
  Object.defineProperty(ns, '__esModule', { value: true });
}
module.exports = ns;
`,
);

const names = JSON.parse(
  execFileSync(
    process.execPath,
    [
      '-e',
      `process.stdout.write(JSON.stringify(Object.keys(require(${JSON.stringify(`${dist}/index.cjs`)}))))`,
    ],
    { encoding: 'utf8', env: { ...process.env, THREADKIT_V8_CACHE: '0' } },
  ),
);
if (names.length === 0) throw new Error('dist/index.cjs exports nothing');
writeFileSync(
  join(dist, 'index.js'),
  `${HEAD}import { createRequire } from 'node:module';
const lib = createRequire(import.meta.url)('./index.cjs');
export const {\n${names.map((n) => `  ${n},`).join('\n')}\n} = lib;
`,
);

writeFileSync(
  join(dist, 'process-entry.cjs'),
  `${HEAD}'use strict';
// The program of every child process (src/process/process-entry.ts).
${LOAD}.runChild();
`,
);
