/**
 * Module targets: `export const work = threadable(import.meta.url, function work() {…})`.
 * The call tags the function with its module; in a worker, importing that module runs the
 * same call again, which registers the function under the same key, so the worker can find
 * it with its whole module scope.
 */
import { pathToFileURL } from 'node:url';
import { stateSlot } from '../thread-state.js';

/** Where a module function lives. */
export interface ModuleRef {
  url: string;
  key: string;
}

export const MODULE_REF = Symbol.for('threadkit.moduleRef');

const registry = stateSlot('threadables', () => new Map<string, Function>());

/** Normalise `import.meta.url`, a file path or `__filename` to a file URL string. */
export function toModuleUrl(moduleUrl: string): string {
  if (typeof moduleUrl !== 'string' || moduleUrl.length === 0) {
    throw new TypeError(
      'threadable(moduleUrl, fn): moduleUrl must be import.meta.url or __filename',
    );
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(moduleUrl) && !/^[a-z]:[\\/]/i.test(moduleUrl)) return moduleUrl;
  return pathToFileURL(moduleUrl).href;
}

const perModule = stateSlot('threadableCounts', () => new Map<string, number>());

/**
 * Mark `fn` as a module function that threads, executors and pools can run by reference.
 * Call it at the top level of the module, once per function:
 * `export const work = threadable(import.meta.url, function work(x) { … })`
 * (in CommonJS, pass `__filename`).
 *
 * Functions are keyed by their order of registration in the module (the worker imports the
 * module and registers them in the same order), not by name: compilers rename functions
 * (vitest turns `mul` into `mul2`), and the worker may load the module through another one.
 * Pass `name` to key it by name instead, e.g. when registration is conditional.
 *
 * @typeParam F - the function's type, returned unchanged so callers keep its signature.
 */
export function threadable<F extends (...args: any[]) => any>(
  moduleUrl: string,
  fn: F,
  name?: string,
): F {
  if (typeof fn !== 'function') {
    throw new TypeError('threadable(moduleUrl, fn): fn must be a function');
  }
  const url = toModuleUrl(moduleUrl);
  let key: string;
  if (name !== undefined) {
    if (typeof name !== 'string' || name === '')
      throw new TypeError('threadable(): name must be a non-empty string');
    key = `name:${name}`;
  } else {
    const n = perModule.get(url) ?? 0;
    perModule.set(url, n + 1);
    key = `#${n}`;
  }
  const id = `${url}#${key}`;
  const existing = registry.get(id);
  if (existing && existing !== fn) {
    throw new TypeError(
      `threadable(): ${name} is already registered in ${url}; give each function its own name`,
    );
  }
  registry.set(id, fn);
  Object.defineProperty(fn, MODULE_REF, { value: { url, key } satisfies ModuleRef });
  return fn;
}

/** The module reference of a function made with {@link threadable}, if any. */
export function moduleRefOf(fn: Function): ModuleRef | undefined {
  return (fn as any)[MODULE_REF];
}

/** Look up a registered module function (after its module was imported). */
export function lookupThreadable(ref: ModuleRef): Function | undefined {
  return registry.get(`${ref.url}#${ref.key}`);
}
