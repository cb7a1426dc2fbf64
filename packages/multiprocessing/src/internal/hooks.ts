/**
 * Work a child must finish before it exits after its target returns: requests still in
 * flight to a manager (a proxy attribute assignment is sent but not yet acknowledged).
 */
import { stateSlot } from '@threadkit/core/internal';

const hooks = stateSlot('mp.flushHooks', () => new Set<() => Promise<void>>());

/** Register `fn` to be awaited before a child process exits normally. */
export function onFlush(fn: () => Promise<void>): void {
  hooks.add(fn);
}

/** Await every registered flush (errors are ignored: the process is ending anyway). */
export async function flushAll(): Promise<void> {
  await Promise.all([...hooks].map((fn) => fn().catch(() => {})));
}
