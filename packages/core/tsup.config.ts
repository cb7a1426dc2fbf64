import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    internal: 'src/internal.ts',
    'thread-entry': 'src/threads/thread-entry.ts',
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
  keepNames: true,
  splitting: true,
});
