/**
 * Module targets travel by reference (docs/CONTRACT.md §5b): a module is named by the package
 * it belongs to (the nearest package.json above it) and its path inside that package, never by
 * the submitting machine's absolute path. A worker finds the package in its own copy of the
 * code: its project root when the names match, else `node_modules/<name>` above that root.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TargetSpec } from '@threadkit/core/internal';

/** Where a module lives, portably. */
export interface ModuleLocation {
  /** `name` of the package.json of the package holding it (null if it has none). */
  pkg: string | null;
  /** POSIX path of the module inside that package. */
  path: string;
}

/** A target spec whose module (if any) is named by {@link ModuleLocation}. */
export type PortableSpec =
  | Extract<TargetSpec, { kind: 'inline' }>
  | (Omit<Extract<TargetSpec, { kind: 'module' }>, 'url' | 'js'> & { at: ModuleLocation })
  | (Omit<Extract<TargetSpec, { kind: 'instance' }>, 'url' | 'js'> & { at: ModuleLocation });

/** The directory of the nearest package.json at or above `dir`, or null. */
export function findProjectRoot(dir: string): string | null {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d;
    if (dirname(d) === d) return null;
  }
}

function packageName(root: string): string | null {
  try {
    const name = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name;
    return typeof name === 'string' && name !== '' ? name : null;
  } catch {
    return null;
  }
}

const locations = new Map<string, ModuleLocation>();

/** The portable location of the module at file URL `url`. */
export function locateModule(url: string): ModuleLocation {
  const known = locations.get(url);
  if (known) return known;
  if (!url.startsWith('file:')) {
    throw new TypeError(`cannot send a target from ${url} to a worker: only file modules travel`);
  }
  const file = fileURLToPath(url);
  const root = findProjectRoot(dirname(file));
  if (!root) {
    throw new TypeError(
      `cannot send a target from ${file} to a worker: no package.json above it names the project ` +
        'whose copy the workers run (add one at the project root)',
    );
  }
  const loc = { pkg: packageName(root), path: relative(root, file).split(sep).join('/') };
  locations.set(url, loc);
  return loc;
}

/** `spec` with its module named portably (inline specs are unchanged). */
export function portableSpec(spec: TargetSpec): PortableSpec {
  if (spec.kind === 'inline') return spec;
  // `js` names this machine's compiled copy of a .ts module: a worker compiles its own.
  const { url, js: _local, ...rest } = spec;
  return { ...rest, at: locateModule(url) } as PortableSpec;
}

/** Where a worker looks for code: its project root and the packages it can see. */
export class CodeBase {
  readonly root: string;
  readonly #name: string | null;
  readonly #packages = new Map<string, string>();

  /** `root`: the project root (default: the nearest package.json above the working directory). */
  constructor(root?: string) {
    const found = root ? resolve(root) : findProjectRoot(process.cwd());
    if (!found) {
      throw new TypeError(
        `no package.json at or above ${process.cwd()}: start the worker in its copy of the project, or pass its root`,
      );
    }
    this.root = found;
    this.#name = packageName(found);
  }

  /** The directory of package `name` as this worker sees it. */
  #packageDir(name: string | null): string {
    if (name === null || name === this.#name) return this.root;
    let dir = this.#packages.get(name);
    if (dir) return dir;
    for (let d = this.root; ; d = dirname(d)) {
      const candidate = join(d, 'node_modules', ...name.split('/'));
      if (existsSync(join(candidate, 'package.json'))) {
        dir = candidate;
        break;
      }
      if (dirname(d) === d) {
        throw new Error(
          `package ${name} is not installed for the worker at ${this.root} (neither its project nor in node_modules): ` +
            'workers need a copy of the code the tasks come from',
        );
      }
    }
    this.#packages.set(name, dir);
    return dir;
  }

  /** The file URL of `at` in this worker's copy of the code. */
  moduleUrl(at: ModuleLocation): string {
    if (isAbsolute(at.path) || at.path.split('/').includes('..')) {
      throw new TypeError(`refusing module path ${at.path}: it must stay inside its package`);
    }
    const file = join(this.#packageDir(at.pkg), ...at.path.split('/'));
    if (!existsSync(file)) {
      throw new Error(
        `module ${at.pkg ?? '(project)'}/${at.path} is not in this worker's copy of the code (${file}): ` +
          'deploy the same code to every worker',
      );
    }
    return pathToFileURL(file).href;
  }

  /** `spec` with its module resolved in this worker's copy. */
  localSpec(spec: PortableSpec): TargetSpec {
    if (spec.kind === 'inline') return spec;
    const { at, ...rest } = spec;
    return { ...rest, url: this.moduleUrl(at) } as TargetSpec;
  }
}
