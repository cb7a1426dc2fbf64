/**
 * Who is the calling thread, for the words that record an owner (RLock's owner, a waiter's
 * identity). Idents are made by the threads layer (threads/registry.ts), which sits above
 * this one: it installs {@link setIdentSource} when it loads, and {@link setCurrentIdent}
 * whenever a thread's record becomes known, so primitives ask here and never import it.
 */
import { stateSlot } from '../thread-state.js';

/** Per-thread: the calling thread's record (word index, 0 until known) and cached ident. */
export const current = stateSlot('currentThread', () => ({ rec: 0, ident: 0 }));

function noThreadsLayer(): number {
  throw new Error('threadkit: the threads layer is not loaded');
}

let identSource: () => number = noThreadsLayer;

/** Installed once by the threads layer: registers the calling thread and returns its ident. */
export function setIdentSource(source: () => number): void {
  identSource = source;
}

/** The calling thread's ident (non-zero), registering it as a thread on first use. */
export function currentIdent(): number {
  return current.ident || identSource();
}

/**
 * The calling thread's ident for a word that only reports (a Lock's last acquirer): as
 * {@link currentIdent}, but 0 rather than an error where the threads layer is not loaded.
 */
export function reportingIdent(): number {
  return current.ident || (identSource === noThreadsLayer ? 0 : identSource());
}
