/**
 * Writes core's entry points over the library bundle (scripts/bundle-entries.mjs at the root):
 * `index` and `internal`, loaded with the code cache of src/boot/code-cache.ts, and the worker
 * program `thread-entry.cjs`. Run after tsup (`pnpm build`).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBundleEntries } from '../../../scripts/bundle-entries.mjs';

writeBundleEntries({
  dist: join(dirname(fileURLToPath(import.meta.url)), '..', 'dist'),
  load: "require('./code-cache.cjs').requireWithCodeCache(__dirname + '/lib.cjs')",
  namespaces: ['index', 'internal'],
  programs: {
    'thread-entry.cjs': `// The program of every threadkit worker (src/threads/thread-entry.ts).
const cache = require('./code-cache.cjs');
cache.enableNodeCompileCache();
cache.requireWithCodeCache(\`\${__dirname}/lib.cjs\`).startThreadWorker();
`,
  },
});
