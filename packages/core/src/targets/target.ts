/**
 * Thread targets (docs/CONTRACT.md §2): how a function or a Thread subclass crosses to a worker.
 *   - inline: the function's source, compiled in the worker (no captured variables);
 *   - module: a function made with `threadable(import.meta.url, fn)`, found by importing it;
 *   - instance: an exported class (a Thread subclass, say) rebuilt from its fields.
 * The same specs are used by Thread, Timer, Barrier actions, executors and pools.
 */

import { decodeShared, encodeShared } from '../shared/protocol.js';
import { stateSlot } from '../thread-state.js';
import { compiledTsUrl, importModule, isTsModule } from './load-module.js';
import { nativeFunction } from './native-import.js';
import { lookupThreadable, moduleRefOf, toModuleUrl } from './threadable.js';
import { TOOLCHAIN_HELPERS } from './toolchain-helpers.js';

export type TargetSpec =
  | { kind: 'inline'; source: string; name: string }
  | { kind: 'module'; url: string; key: string; name: string; js?: string }
  | {
      kind: 'instance';
      url: string;
      className: string;
      fields: unknown;
      method: string;
      js?: string;
    };

/** A `.ts` module's compiled JavaScript, made once here for every thread (load-module.ts). */
function compiledFor(url: string): { js?: string } {
  return isTsModule(url) ? { js: compiledTsUrl(url) } : {};
}

const NATIVE = /\{\s*\[native code\]\s*\}\s*$/;

/** The display name of a target, for `Thread-N (name)`. */
export function targetName(spec: TargetSpec): string {
  return spec.kind === 'instance' ? spec.className : spec.name;
}

/**
 * Turn `fn` into a spec that a worker can run. `what` names the argument in errors
 * (`target`, `action`, `fn`).
 */
export function encodeFunction(fn: unknown, what = 'target'): TargetSpec {
  if (typeof fn !== 'function') {
    throw new TypeError(`${what} must be a function, not ${fn === null ? 'null' : typeof fn}`);
  }
  const ref = moduleRefOf(fn);
  if (ref) {
    return {
      kind: 'module',
      url: ref.url,
      key: ref.key,
      name: fn.name || ref.key,
      ...compiledFor(ref.url),
    };
  }
  const source = Function.prototype.toString.call(fn);
  if (NATIVE.test(source)) {
    throw new TypeError(
      `${what} ${fn.name || '(anonymous)'} is a native or bound function and cannot be sent to a thread; ` +
        'wrap it in an inline function or use threadable(import.meta.url, fn)',
    );
  }
  if (/^class[\s{]/.test(source)) {
    throw new TypeError(
      `${what} is a class; pass a function (or subclass Thread and override run())`,
    );
  }
  return { kind: 'inline', source, name: fn.name };
}

/**
 * Describe an instance of an exported class (a Thread subclass overriding `run`) so a worker
 * can rebuild it without running its constructor. The class must say where it lives with a
 * static `module` field: `static module = import.meta.url` (or `__filename` in CommonJS).
 */
export function encodeInstance(
  obj: object,
  fields: Record<string, unknown>,
  method: string,
  what = 'thread',
): TargetSpec {
  const cls = obj.constructor as { name: string; module?: unknown };
  const url = typeof cls.module === 'string' ? cls.module : undefined;
  if (!url) {
    throw new TypeError(
      `cannot run ${cls.name}.${method}() in a worker: threadkit cannot locate class ${cls.name}. ` +
        `Export it and add one line to it: static module = import.meta.url; (CommonJS: static module = __filename;)`,
    );
  }
  const moduleUrl = toModuleUrl(url);
  return {
    kind: 'instance',
    url: moduleUrl,
    className: cls.name,
    fields: encodeShared(fields, `${what}.${cls.name}`),
    method,
    ...compiledFor(moduleUrl),
  };
}

const compiled = stateSlot('compiledTargets', () => new Map<string, Function>());

const HELPER_NAMES = Object.keys(TOOLCHAIN_HELPERS);
const HELPER_VALUES = Object.values(TOOLCHAIN_HELPERS);

function compileInline(source: string): Function {
  const cached = compiled.get(source);
  if (cached) return cached;
  let fn: Function;
  try {
    fn = nativeFunction(...HELPER_NAMES, `"use strict"; return (${source});`)(...HELPER_VALUES);
  } catch {
    // Method shorthand (`work() {…}`, `async *gen() {…}`): wrap it in an object literal.
    const holder = nativeFunction(
      ...HELPER_NAMES,
      `"use strict"; return ({ ${source} });`,
    )(...HELPER_VALUES);
    fn = Object.values(holder)[0] as Function;
  }
  compiled.set(source, fn);
  return fn;
}

/** A ReferenceError in inline code most often means a captured variable: say so. */
export function explainInlineError(err: unknown, spec: TargetSpec): unknown {
  if (
    spec.kind === 'inline' &&
    err instanceof ReferenceError &&
    !err.message.includes('inline target')
  ) {
    const m = /^(\S+) is not defined/.exec(err.message);
    const name = m ? m[1] : 'a variable';
    err.message +=
      ` (hint: an inline target runs in another thread and cannot use variables captured from ` +
      `its enclosing scope: pass ${name} in args, import it with await import(), or make the ` +
      `function a module target with threadable(import.meta.url, fn))`;
  }
  return err;
}

/**
 * Synchronous resolution, for callers that cannot await (a Barrier action run inside a
 * blocking `wait()`): inline targets compile at once; module targets must already have been
 * imported in this thread (their module registered them).
 */
export function resolveTargetSync(spec: TargetSpec): Function {
  if (spec.kind === 'inline') return compileInline(spec.source);
  if (spec.kind === 'module') {
    const fn = lookupThreadable(spec);
    if (fn) return fn;
    throw new TypeError(
      `${spec.name || 'the function'} from ${spec.url} is not loaded in this thread; import that module here before the call`,
    );
  }
  throw new TypeError('an instance target cannot be resolved synchronously');
}

/** In the worker: the callable for a spec, bound to its instance for `instance` specs. */
export async function resolveTarget(spec: TargetSpec): Promise<Function> {
  switch (spec.kind) {
    case 'inline':
      return compileInline(spec.source);
    case 'module': {
      await importModule(spec.url, spec.js);
      const fn = lookupThreadable(spec);
      if (!fn) {
        throw new TypeError(
          `module ${spec.url} did not register ${spec.name || 'the function'} with threadable() when imported in a worker ` +
            '(threadable() must run at its top level, in the same order in every thread)',
        );
      }
      return fn;
    }
    case 'instance': {
      const obj = (await rebuildInstance(spec)) as Record<string, unknown>;
      const method = obj[spec.method];
      if (typeof method !== 'function')
        throw new TypeError(`${spec.className}.${spec.method} is not a function`);
      return method.bind(obj);
    }
  }
}

/**
 * Rebuild an instance described by an `instance` spec without running its constructor:
 * an object with the class's prototype and the original's fields (shared objects revived).
 * `prepare` runs before the fields are assigned (to attach internal state). `consume`: this
 * is the one rebuild of a spec made for it (a Thread subclass's start), so the counts the
 * encoded fields hold move into this thread; otherwise they stay with the spec (which may be
 * rebuilt again: a pool task's or barrier action's instance), see docs/DESIGN.md.
 */
export async function rebuildInstance(
  spec: Extract<TargetSpec, { kind: 'instance' }>,
  prepare?: (obj: object) => void,
  consume = false,
): Promise<object> {
  const mod = await importModule(spec.url, spec.js);
  const cls = findExportedClass(mod, spec.className);
  if (!cls) {
    throw new TypeError(
      `class ${spec.className} is not exported from ${spec.url}; export it so threads can rebuild it`,
    );
  }
  const obj = Object.create(cls.prototype);
  prepare?.(obj);
  Object.assign(obj, decodeShared(spec.fields, consume));
  return obj;
}

function findExportedClass(
  mod: Record<string, unknown>,
  name: string,
): { prototype: object } | undefined {
  const candidates: unknown[] = [mod[name], (mod.default as any)?.[name], mod.default];
  // A CommonJS module imported from ESM exposes module.exports as `default`.
  for (const c of candidates) {
    if (typeof c === 'function' && c.name === name) return c as { prototype: object };
  }
  for (const value of Object.values(mod)) {
    if (typeof value === 'function' && value.name === name) return value as { prototype: object };
  }
  return undefined;
}
