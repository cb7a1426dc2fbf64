/**
 * `import()` that stays `import()` in the CommonJS build, and the extension of this build's
 * files. tsup's CommonJS output turns `import(x)` into `require(x)`, which loads neither an ES
 * module nor a `file:` URL; a worker of a CommonJS program runs the CommonJS build (so its
 * targets' `require('@threadkit/core')` finds the library already loaded) and still imports
 * module targets of any kind.
 */

// In the CommonJS build `import.meta.url` is tsup's shim: the URL of this `.cjs` chunk.
const inCommonJsBuild = import.meta.url.endsWith('.cjs');

/** Node's own dynamic `import()` of a specifier or URL. */
export const nativeImport: (specifier: string) => Promise<any> = inCommonJsBuild
  ? (new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>)
  : (specifier) => import(specifier);

/**
 * `.cjs` in the CommonJS build, `.js` in the ESM one: worker programs (`thread-entry`,
 * `process-entry`) are started in their program's build, so a CommonJS program's workers load
 * the library once.
 */
export const BUILD_EXT: '.cjs' | '.js' = inCommonJsBuild ? '.cjs' : '.js';
