/**
 * What chapter 5's lock-protected sets share: moving a SharedSet subclass to another thread,
 * and the work their threads do.
 *
 * A SharedSet crosses threads by reference, but as a SharedSet: the receiving thread does
 * not know the subclass, and the subclass's own fields (its Lock) are not part of the set.
 * So a set crosses as its fields: `share(set)` in one thread, `attach(LockedSet, fields)` in
 * the other gives the same set (same shared memory, same Lock) with the subclass's methods.
 */
import type { SharedSet } from '@threadkit/core';

/** The set and its own fields (a Lock…), to pass to another thread (see {@link attach}). */
export function share(set: SharedSet<number>): Record<string, unknown> {
  return { set, ...Object.fromEntries(Object.entries(set)) };
}

/** The instance of `cls` (a SharedSet subclass) over the set another thread shared. */
export function attach<T extends SharedSet<number>>(
  cls: { prototype: T },
  fields: Record<string, unknown>,
): T {
  const { set, ...own } = fields;
  return Object.assign(Object.setPrototypeOf(set, cls.prototype) as T, own);
}

/**
 * The work every set example gives its threads: thread `t` adds the numbers
 * `t*per … t*per+per-1`, checks each is there, then removes the even ones. Afterwards the set
 * must hold exactly the odd numbers below `threads*per`. Returns how many checks failed.
 */
export function exercise(set: SharedSet<number>, t: number, per: number): number {
  let missing = 0;
  for (let k = t * per; k < (t + 1) * per; k++) {
    set.add(k);
    if (!set.has(k)) missing++;
  }
  for (let k = t * per; k < (t + 1) * per; k += 2) set.remove(k);
  return missing;
}

/** The set's elements, ascending. */
export function sorted(set: SharedSet<number>): number[] {
  return set.toArray().sort((a, b) => a - b);
}

/** Whether `values` (ascending) is exactly the odd numbers below `limit`. */
export function isOddsBelow(values: number[], limit: number): boolean {
  if (values.length !== limit / 2) return false;
  return values.every((v, i) => v === 2 * i + 1);
}
