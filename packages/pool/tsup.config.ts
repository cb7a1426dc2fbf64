import { defineConfig } from 'tsup';

export default defineConfig({
  // The worker programs are entries of their own: piscina and the process slots load them by path.
  entry: {
    index: 'src/index.ts',
    internal: 'src/internal.ts',
    'thread-entry': 'src/worker/thread-entry.ts',
    'process-entry': 'src/worker/process-entry.ts',
  },
  format: ['esm', 'cjs'],
  // stripInternal: members tagged `@internal` stay out of the published types.
  dts: {
    entry: { index: 'src/index.ts', internal: 'src/internal.ts' },
    compilerOptions: { stripInternal: true },
  },
  shims: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  external: ['@threadkit/core', 'piscina'],
  // p-queue (and its dependencies) is ESM-only: bundle it so the CommonJS build needs no require(esm).
  noExternal: ['p-queue', 'eventemitter3', 'p-timeout'],
});
