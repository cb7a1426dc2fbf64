/**
 * `import()` that stays `import()` in the CommonJS build. tsup's CommonJS output turns
 * `import(x)` into `require(x)`, which loads neither an ES module nor a `file:` URL; a worker
 * of a CommonJS program runs the CommonJS build (so its targets' `require('@threadkit/core')`
 * finds the library already loaded) and still imports module targets of any kind.
 */

// In the CommonJS build `import.meta.url` is tsup's shim: the URL of this `.cjs` chunk.
const inCommonJsBuild = import.meta.url.endsWith('.cjs');

/** Node's own dynamic `import()` of a specifier or URL. */
export const nativeImport: (specifier: string) => Promise<any> = inCommonJsBuild
  ? (new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>)
  : (specifier) => import(specifier);

/** Whether this copy of the library is its CommonJS build. */
export const isCommonJsBuild = inCommonJsBuild;
