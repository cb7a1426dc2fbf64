import { defineConfig } from 'tsup';

export default defineConfig([
  // The package is one CommonJS bundle, `dist/lib.cjs` (src/lib.ts), loaded with core's V8 code
  // cache; `index.{js,cjs}` and the child program `process-entry.cjs` are thin files over it,
  // written after this build by scripts/entries.mjs (see docs/DESIGN.md, Start-up).
  {
    entry: { lib: 'src/lib.ts' },
    format: ['cjs'],
    shims: true,
    clean: false,
    sourcemap: true,
    target: 'node20',
    keepNames: true,
    splitting: false,
    external: ['@threadkit/core', 'comlink'],
  },
  // The published types. stripInternal: members tagged `@internal` stay out of them.
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: { only: true, compilerOptions: { stripInternal: true } },
    clean: false,
    external: ['@threadkit/core', 'comlink'],
  },
]);
