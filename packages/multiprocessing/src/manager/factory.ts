/**
 * How a type registered with `BaseManager.register(typeid, callable)` reaches the manager
 * process: as a target (docs/CONTRACT.md §2) — an inline function, a `threadable` module function, or a
 * class (exported with `static module = import.meta.url`, or self-contained inline source).
 */
import { encodeFunction, importModule, type TargetSpec } from '@threadkit/core/internal';
import { compileInline, resolveChildTarget } from '../process/inline.js';

/** A factory as it travels to the manager process. */
export type FactorySpec =
  | { kind: 'target'; spec: TargetSpec }
  | { kind: 'class'; url: string; className: string }
  | { kind: 'inlineClass'; source: string; className: string };

const CLASS_SOURCE = /^class[\s{]/;

/** Describe `callable` (a function or a class) for the manager process. */
export function encodeFactory(callable: Function, typeid: string): FactorySpec {
  if (typeof callable !== 'function')
    throw new TypeError(`register('${typeid}', callable): callable must be a function or a class`);
  const source = Function.prototype.toString.call(callable);
  if (!CLASS_SOURCE.test(source))
    return { kind: 'target', spec: encodeFunction(callable, `register('${typeid}')`) };
  const url = (callable as { module?: unknown }).module;
  if (typeof url === 'string') {
    const href = /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : new URL(`file://${url}`).href;
    return { kind: 'class', url: href, className: callable.name };
  }
  return { kind: 'inlineClass', source, className: callable.name };
}

/** In the manager process: the function that creates an object of the registered type. */
export async function resolveFactory(f: FactorySpec): Promise<(...args: unknown[]) => unknown> {
  switch (f.kind) {
    case 'target':
      return (await resolveChildTarget(f.spec)) as (...args: unknown[]) => unknown;
    case 'class': {
      const mod = await importModule(f.url);
      const cls = [
        mod[f.className],
        (mod.default as any)?.[f.className],
        ...Object.values(mod),
      ].find((c) => typeof c === 'function' && (c as Function).name === f.className) as
        | (new (
            ...args: unknown[]
          ) => unknown)
        | undefined;
      if (!cls) throw new TypeError(`class ${f.className} is not exported from ${f.url}`);
      return (...args) => new cls(...args);
    }
    case 'inlineClass': {
      const cls = compileInline(f.source) as new (...args: unknown[]) => unknown;
      return (...args) => new cls(...args);
    }
  }
}
