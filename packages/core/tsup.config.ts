import { defineConfig } from 'tsup';

// The library is one CommonJS bundle, `dist/lib.cjs` (src/lib.ts), loaded with a V8 code cache
// by `dist/code-cache.cjs` (src/boot/code-cache.ts). The entry points `index.{js,cjs}`,
// `internal.{js,cjs}` and the worker program `thread-entry.cjs` are thin files over it, written
// after this build by scripts/entries.mjs: one copy of the library for ESM and CommonJS
// importers alike, in every thread (see docs/DESIGN.md, Start-up).
const common = {
  format: ['cjs'] as const,
  shims: true,
  clean: false,
  sourcemap: true,
  target: 'node20',
  keepNames: true,
  splitting: false,
};

export default defineConfig([
  { ...common, format: ['cjs'], entry: { lib: 'src/lib.ts' } },
  // Loaded by Node's own CommonJS loader, never through the cache it implements.
  { ...common, format: ['cjs'], entry: { 'code-cache': 'src/boot/code-cache.ts' } },
  // The published types of the entry points. stripInternal: members tagged `@internal` stay
  // out of them.
  {
    entry: { index: 'src/index.ts', internal: 'src/internal.ts' },
    format: ['esm', 'cjs'],
    dts: { only: true, compilerOptions: { stripInternal: true } },
    clean: false,
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
