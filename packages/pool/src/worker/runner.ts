/**
 * The worker side of every pool: run the initializer once, then calls and map chunks, and
 * report each outcome as data. Shared by pool threads (piscina) and pool processes (process-entry.ts);
 * what differs between them (how values are made ready to cross) comes in as {@link CrossingRules}.
 */
import {
  explainInlineError,
  resolveTarget,
  resolveTargetSync,
  setCurrentTask,
  type TargetSpec,
  targetName,
  taskLabel,
  writeWhole,
} from '@threadkit/core/internal';
import { encodeError, type Outcome, type TaskMsg } from '../internal/wire.js';

/** How values cross between this worker and the pool's owner. */
export interface CrossingRules {
  /**
   * Rebuild arguments that arrived (revive shared objects, for threads). `consume` (default
   * true): the copy is this worker's alone (task arguments); false for one every worker
   * decodes (the initializer's arguments, which the owner keeps until the pool closes).
   */
  decode(value: unknown, consume?: boolean): unknown;
  /** Give back what arguments that will never be decoded hold (shared objects' counts). */
  discard?(value: unknown): void;
  /** Prepare a value to be sent back; throws (with the value's path) if it cannot cross. */
  encode(value: unknown, path: string): unknown;
  /** Read a spec sent by reference (thread executors). */
  specAt?(ref: number): TargetSpec;
  /** Record the running task for thread dumps (thread executors: the thread is in the dump). */
  showTasks?: boolean;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** An argument list of plain primitives, which needs no decoding. */
function isPlain(args: unknown): boolean {
  if (!Array.isArray(args)) return false;
  for (const a of args) if (a !== null && typeof a === 'object') return false;
  return true;
}

function formatError(err: unknown): string {
  return err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
}

/** Runs the tasks of one worker. */
export class TaskRunner {
  readonly #rules: CrossingRules;
  #init: { spec: TargetSpec; args: unknown } | null;
  /** Set once the initializer failed: this worker then refuses every task (CPython's worker exits). */
  #initError: { failed: boolean; error: unknown } = { failed: false, error: undefined };
  /** Specs sent by reference, and the functions they resolved to. */
  readonly #byRef = new Map<number, { spec: TargetSpec; fn: Function | null }>();
  /** Dump labels by target name (core's diagnostics/task.ts): one arena string per name. */
  readonly #labels = new Map<string, number>();

  constructor(rules: CrossingRules, init?: { spec: TargetSpec; args: unknown } | null) {
    this.#rules = rules;
    this.#init = init ?? null;
  }

  /**
   * Run `task`. `claim` (thread executors) is the cancel hand-shake: it returns false when the
   * owner cancelled the task before this worker reached it.
   */
  async run(task: TaskMsg, claim?: () => boolean): Promise<Outcome> {
    if (task.k === 'init') {
      this.#init = { spec: task.spec, args: task.args };
      return (await this.#runInit()) ?? { s: 'ok', v: null };
    }
    if (this.#init || this.#initError.failed) {
      const failed = await this.#runInit();
      if (failed) {
        this.#discard(task);
        return failed;
      }
    }
    if (claim && !claim()) {
      this.#discard(task);
      return { s: 'cancelled' };
    }
    let spec: TargetSpec | null = null;
    let decoding = false;
    try {
      let fn: Function;
      if (typeof task.spec === 'number') {
        // By reference: resolved once per thread, then a Map lookup (the per-task path).
        let entry = this.#byRef.get(task.spec);
        if (!entry) {
          entry = {
            spec: (this.#rules.specAt as (ref: number) => TargetSpec)(task.spec),
            fn: null,
          };
          this.#byRef.set(task.spec, entry);
        }
        spec = entry.spec;
        entry.fn ??= await resolveTarget(spec);
        fn = entry.fn;
      } else {
        spec = task.spec;
        // Inline functions resolve without a turn of the event loop.
        fn = spec.kind === 'inline' ? resolveTargetSync(spec) : await resolveTarget(spec);
      }
      this.#showTask(spec);
      decoding = true; // from here a failure may leave the arguments half decoded: keep them
      if (task.k === 'call') {
        const args = (isPlain(task.args) ? task.args : this.#rules.decode(task.args)) as unknown[];
        let value = fn(...args);
        if (isThenable(value)) value = await value;
        return this.#ok(value, 'result');
      }
      const list = this.#rules.decode(task.argsList) as unknown[][];
      const results: unknown[] = [];
      for (const args of list) {
        let value = fn(...args);
        if (isThenable(value)) value = await value;
        results.push(value);
      }
      return this.#ok(results, 'result');
    } catch (err) {
      if (!decoding) this.#discard(task); // the target could not be loaded
      return { s: 'err', e: this.#encodeError(spec ? explainInlineError(err, spec) : err) };
    } finally {
      if (spec && this.#rules.showTasks) setCurrentTask(0);
    }
  }

  /** Show `spec`'s task in thread dumps while it runs (threads only: a process has its own). */
  #showTask(spec: TargetSpec): void {
    if (!this.#rules.showTasks) return;
    const name = targetName(spec) || 'task';
    let label = this.#labels.get(name);
    if (label === undefined) {
      label = taskLabel(name);
      this.#labels.set(name, label);
    }
    setCurrentTask(label);
  }

  /** A call or chunk that will not run: its arguments' counts go back. */
  #discard(task: TaskMsg): void {
    if (task.k === 'call') this.#rules.discard?.(task.args);
    else if (task.k === 'chunk') this.#rules.discard?.(task.argsList);
  }

  #ok(value: unknown, path: string): Outcome {
    const t = typeof value;
    if (value === null || (t !== 'object' && t !== 'function' && t !== 'symbol'))
      return { s: 'ok', v: value };
    try {
      return { s: 'ok', v: this.#rules.encode(value, path) };
    } catch (err) {
      // A result that cannot cross fails its future (CPython: a pickling error), not the pool.
      return { s: 'err', e: this.#encodeError(err) };
    }
  }

  #encodeError(err: unknown): unknown {
    return encodeError(err, (v) => this.#rules.encode(v, 'error'));
  }

  /** Run the pending initializer, if any; an outcome if it failed (now or before). */
  async #runInit(): Promise<Outcome | null> {
    if (this.#initError.failed) return { s: 'init-failed', e: this.#initError.error };
    const init = this.#init;
    if (!init) return null;
    this.#init = null;
    try {
      const fn = await resolveTarget(init.spec);
      await fn(...(this.#rules.decode(init.args, false) as unknown[]));
      return null;
    } catch (err) {
      explainInlineError(err, init.spec);
      // CPython logs this as CRITICAL from the worker: "Exception in initializer:" + traceback.
      writeWhole(2, `Exception in initializer:\n${formatError(err)}\n`);
      this.#initError = { failed: true, error: this.#encodeError(err) };
      return { s: 'init-failed', e: this.#initError.error };
    }
  }
}
