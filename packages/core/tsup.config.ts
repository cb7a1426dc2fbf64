import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      internal: 'src/internal.ts',
      'thread-entry': 'src/threads/thread-entry.ts',
      'thread-entry-full': 'src/threads/thread-entry-full.ts',
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
  },
  // The `.ts` module compiler (src/targets/ts-compile.ts): its own CommonJS file with its
  // libraries inside, required only by a thread that meets a `.ts` module.
  {
    entry: { 'ts-compile': 'src/targets/ts-compile.ts' },
    format: ['cjs'],
    noExternal: ['es-module-lexer', 'get-tsconfig', 'import-meta-resolve'],
    shims: true,
    sourcemap: true,
    target: 'node20',
    clean: false,
  },
]);
