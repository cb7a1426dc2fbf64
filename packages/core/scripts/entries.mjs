/**
 * Writes the package's entry points over the library bundle `dist/lib.cjs` (see src/lib.ts):
 * `index.cjs` and `internal.cjs` load it with its code cache (src/boot/code-cache.ts) and
 * export one of its namespaces; `index.js` and `internal.js` are ESM wrappers that re-export
 * the CommonJS entry by name (so ESM and CommonJS importers share one copy of the library);
 * `thread-entry.cjs` is the worker program. Run after tsup (`pnpm build`).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const HEAD = '// Written by scripts/entries.mjs after the build: see src/lib.ts.\n';

const cjsEntry = (ns) =>
  `${HEAD}'use strict';
const lib = require('./code-cache.cjs').requireWithCodeCache(\`\${__dirname}/lib.cjs\`);
const ns = lib.${ns};
if (!Object.prototype.hasOwnProperty.call(ns, '__esModule')) {
  Object.defineProperty(ns, '__esModule', { value: true });
}
module.exports = ns;
`;

for (const ns of ['index', 'internal']) writeFileSync(join(dist, `${ns}.cjs`), cjsEntry(ns));

// The names each namespace exports, read from the built bundle in a child process.
const names = JSON.parse(
  execFileSync(
    process.execPath,
    [
      '-e',
      `const d = ${JSON.stringify(dist)};
       const i = require(d + '/index.cjs'), n = require(d + '/internal.cjs');
       process.stdout.write(JSON.stringify({ index: Object.keys(i), internal: Object.keys(n) }));`,
    ],
    { encoding: 'utf8', env: { ...process.env, THREADKIT_V8_CACHE: '0' } },
  ),
);

for (const ns of ['index', 'internal']) {
  const list = names[ns];
  if (list.length === 0) throw new Error(`dist/${ns}.cjs exports nothing`);
  writeFileSync(
    join(dist, `${ns}.js`),
    `${HEAD}import { createRequire } from 'node:module';
const lib = createRequire(import.meta.url)('./${ns}.cjs');
export const {\n${list.map((n) => `  ${n},`).join('\n')}\n} = lib;
`,
  );
}

writeFileSync(
  join(dist, 'thread-entry.cjs'),
  `${HEAD}'use strict';
// The program of every threadkit worker (src/threads/thread-entry.ts).
const cache = require('./code-cache.cjs');
cache.enableNodeCompileCache();
cache.requireWithCodeCache(\`\${__dirname}/lib.cjs\`).startThreadWorker();
`,
);
