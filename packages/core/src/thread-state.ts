/**
 * Per-thread state shared by every copy of threadkit loaded in this thread. A worker may load
 * both the ESM and the CJS build (our worker entry is ESM, a user's CommonJS module target
 * requires the CJS one); keeping state on a `Symbol.for` key makes them one library.
 */
export interface ThreadState {
  [key: string]: unknown;
}

const KEY = Symbol.for('threadkit.core.state');

/** The per-thread singleton record; each module keeps its own fields under its own name. */
export function threadState(): ThreadState {
  const g = globalThis as unknown as Record<symbol, ThreadState>;
  let state = g[KEY];
  if (!state) {
    state = Object.create(null) as ThreadState;
    g[KEY] = state;
  }
  return state;
}

/** Get or create a field of the per-thread state. */
export function stateSlot<T>(name: string, create: () => T): T {
  const state = threadState();
  if (!(name in state)) state[name] = create();
  return state[name] as T;
}
