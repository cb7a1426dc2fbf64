/**
 * The extension of this build's files: `.cjs` in the CommonJS build, `.js` in the ESM one.
 * Worker and child programs start in their program's build, so a CommonJS program's workers
 * load this package once (its targets `require()` it).
 */
// In the CommonJS build `import.meta.url` is tsup's shim: the URL of this `.cjs` file.
export const BUILD_EXT: '.cjs' | '.js' = import.meta.url.endsWith('.cjs') ? '.cjs' : '.js';
