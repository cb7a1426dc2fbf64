/**
 * The Node flags of a child *process* that runs a threadkit entry script (@threadkit/
 * multiprocessing's Process and spare children, @threadkit/pool's process workers). Node's
 * own `fork()` passes `process.execArgv` on as it is, and that is wrong for a child that must
 * run our entry script: `node -e code` keeps `-e code` there, so the child would run `code`
 * again — which starts a child of its own, without end.
 */

/** Flags that make Node run something else than the script it is given: never passed on. */
const NOT_FOR_CHILDREN = new Map<string, boolean>([
  // [flag, whether it takes the next argument as its value]
  ['-e', true],
  ['--eval', true],
  ['-p', true],
  ['--print', true],
  ['-pe', true],
  ['-i', false],
  ['--interactive', false],
  ['-c', false],
  ['--check', false],
  ['--input-type', true],
  ['--watch', false],
  ['--watch-path', true],
  ['--watch-preserve-output', false],
  ['--test', false],
]);

/** A second inspector on the parent's port would fail to start: not passed on either. */
const INSPECTOR =
  /^--(inspect|inspect-brk|inspect-wait|inspect-port|debug-port|inspect-publish-uid)$/;

/** Flags that take a module: `--import tsx`, `--require …/tsx/dist/preflight.cjs`, … */
const MODULE_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

function isTsxModule(spec: string): boolean {
  return spec === 'tsx' || spec.startsWith('tsx/') || /[\\/]tsx[\\/]/.test(spec);
}

/** Options of {@link childProcessExecArgv}. */
export interface ChildArgvOptions {
  /**
   * Leave tsx's loader out: it costs a child a few hundred milliseconds at start-up, and
   * core registers tsx itself when a target lives in a `.ts` module.
   */
  dropTsx: boolean;
}

/** This process's `execArgv` as a child process running a threadkit entry script needs it. */
export function childProcessExecArgv(options: ChildArgvOptions): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const takesValue = NOT_FOR_CHILDREN.get(flag);
    if (takesValue !== undefined) {
      if (takesValue && eq < 0) i++;
      continue;
    }
    if (INSPECTOR.test(flag)) continue;
    if (MODULE_FLAGS.has(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[i + 1];
      if (eq < 0) i++;
      if (options.dropTsx && value !== undefined && isTsxModule(value)) continue;
      out.push(arg);
      if (eq < 0 && value !== undefined) out.push(value);
      continue;
    }
    out.push(arg);
  }
  return out;
}
