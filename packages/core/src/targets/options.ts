/**
 * The keyword arguments of `Thread(...)` and `Process(...)` (and their checks), read once for
 * both: `{ target, args, kwargs, name, daemon }`.
 */
export interface TargetOptions {
  target: ((...args: any[]) => unknown) | null;
  args: readonly unknown[];
  kwargs: Record<string, unknown> | null;
  name: string | null;
  daemon: boolean | null;
}

/** Validate and default the options object of `new <what>({...})`. */
export function targetOptions(options: unknown, what: string): TargetOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(
      `${what}() takes an options object: new ${what}({ target, args, kwargs, name, daemon })`,
    );
  }
  const {
    target = null,
    args = [],
    kwargs = null,
    name = null,
    daemon = null,
  } = options as Partial<TargetOptions>;
  if (target != null && typeof target !== 'function') {
    throw new TypeError(`target must be a function, not ${typeof target}`);
  }
  if (!Array.isArray(args)) throw new TypeError('args must be an array');
  return { target, args, kwargs, name, daemon };
}
