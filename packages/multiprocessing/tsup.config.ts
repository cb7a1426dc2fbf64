import { defineConfig } from 'tsup';

export default defineConfig({
  // `process-entry` is the program of every child process; it shares chunks with `index` (ESM
  // splitting), so a child runs one copy of the package, the one user code imports.
  entry: { index: 'src/index.ts', 'process-entry': 'src/process/process-entry.ts' },
  format: ['esm', 'cjs'],
  // stripInternal: members tagged `@internal` stay out of the published types.
  dts: { entry: { index: 'src/index.ts' }, compilerOptions: { stripInternal: true } },
  shims: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  keepNames: true,
  splitting: true,
  external: ['@threadkit/core', 'comlink'],
});
