/**
 * Writes a package's entry points over its library bundle `dist/lib.cjs` (see each package's
 * src/lib.ts), after tsup: `<ns>.cjs` loads the bundle (with core's V8 code cache) and
 * exports one of its namespaces; `<ns>.js` is the ESM wrapper that re-exports that CommonJS
 * entry by name, so ESM and CommonJS importers share one copy of the library; `programs` are
 * the worker or child programs.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HEAD = '// Written by scripts/entries.mjs after the build: see src/lib.ts.\n';

/**
 * `dist`: the package's dist folder; `load`: a CommonJS expression for the loaded bundle;
 * `namespaces`: the bundle's namespaces that get an entry pair; `programs`: file name → the
 * CommonJS body of a worker or child program.
 */
export function writeBundleEntries({ dist, load, namespaces, programs }) {
  for (const ns of namespaces) {
    writeFileSync(
      join(dist, `${ns}.cjs`),
      `${HEAD}'use strict';
const ns = ${load}.${ns};
if (!Object.prototype.hasOwnProperty.call(ns, '__esModule')) {
  Object.defineProperty(ns, '__esModule', { value: true });
}
module.exports = ns;
`,
    );
  }
  // The names each namespace exports, read from the built entries in a child process.
  const names = JSON.parse(
    execFileSync(
      process.execPath,
      [
        '-e',
        `const d = ${JSON.stringify(dist)};
         const out = {};
         for (const ns of ${JSON.stringify(namespaces)}) out[ns] = Object.keys(require(d + '/' + ns + '.cjs'));
         process.stdout.write(JSON.stringify(out));`,
      ],
      { encoding: 'utf8', env: { ...process.env, THREADKIT_V8_CACHE: '0' } },
    ),
  );
  for (const ns of namespaces) {
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
  for (const [file, body] of Object.entries(programs)) {
    writeFileSync(join(dist, file), `${HEAD}'use strict';\n${body}`);
  }
}
