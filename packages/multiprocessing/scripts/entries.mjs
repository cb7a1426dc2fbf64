/**
 * Writes the package's entry points over its bundle (scripts/bundle-entries.mjs at the root):
 * `index`, loaded with @threadkit/core's code cache, and the child program
 * `process-entry.cjs`. Run after tsup (`pnpm build`).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBundleEntries } from '../../../scripts/bundle-entries.mjs';

const LOAD = "require('@threadkit/core/internal').requireBundle(__dirname + '/lib.cjs')";

writeBundleEntries({
  dist: join(dirname(fileURLToPath(import.meta.url)), '..', 'dist'),
  load: LOAD,
  namespaces: ['index'],
  programs: {
    'process-entry.cjs': `// The program of every child process (src/process/process-entry.ts).
${LOAD}.runChild();
`,
  },
});
