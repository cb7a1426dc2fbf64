/**
 * Names for shared objects in dumps: `nameForDumps(lock, 'fork 3')` makes dumps and deadlock
 * reports show `<Lock #812 "fork 3">`. Python's constructors take no name (and `Lock()` takes
 * no argument at all), so the name is given beside the constructor rather than to it. The
 * names live in one process-wide table in the arena, keyed by the object's id (its first
 * word, as in dumps), so every thread sees them; an entry whose object was reclaimed and
 * its memory reused is ignored (its generation no longer matches).
 */
import { arena, ROOTS, root } from '../memory/arena.js';
import { readStringSlot, writeStringSlot } from '../shared/arena-string.js';
import { generationOf, refFor } from '../shared/lifetime.js';
import { isShared, SHARED, type SharedDescriptor, type SharedObject } from '../shared/protocol.js';

const SLOTS = 1024;
// Per entry: the object's id, its ref and generation (to spot reuse), the name's lock and pointer.
const ID = 0;
const REF = 1;
const GEN = 2;
const LOCK = 3;
const PTR = 4;
const ENTRY = 5;

function table(): number {
  return root(ROOTS.objectNames, SLOTS * ENTRY * 4) >> 2;
}

/** The ids dumps show for `obj`: its first word, and for a Barrier its Condition's too. */
function idsOf(obj: SharedObject): number[] {
  const d = obj[SHARED]();
  const ids = [d.words[0]];
  const cond = (d.extra as { cond?: SharedDescriptor } | undefined)?.cond;
  if (d.type === 'Barrier' && cond) ids.push(cond.words[0]);
  return ids;
}

function isCurrent(e: number, i32: Int32Array): boolean {
  const ref = Atomics.load(i32, e + REF);
  return ref === 0 || generationOf(ref) === Atomics.load(i32, e + GEN);
}

/**
 * Give a shared object (a Lock, RLock, Condition, Semaphore, Event, Barrier, queue…) a name
 * shown by `dumpThreads()`, `formatThreadDump()` and deadlock reports, from every thread.
 * Returns the object. The table holds 1024 names; past that, names of objects
 * still alive are kept and a new one is not recorded.
 */
export function nameForDumps<T extends object>(obj: T, name: string): T {
  if (!isShared(obj)) throw new TypeError('nameForDumps: obj must be a threadkit shared object');
  if (typeof name !== 'string') {
    throw new TypeError(`nameForDumps: name must be a string, got ${typeof name}`);
  }
  const ref = refFor(obj);
  const gen = ref === 0 ? 0 : generationOf(ref);
  for (const id of idsOf(obj)) setName(id, ref, gen, name);
  return obj;
}

function setName(id: number, ref: number, gen: number, name: string): void {
  const i32 = arena().i32;
  const base = table();
  for (let k = 0; k < SLOTS; k++) {
    const e = base + ((id + k) % SLOTS) * ENTRY;
    const cur = Atomics.load(i32, e + ID);
    const mine = cur === id;
    const claim =
      mine ||
      (cur === 0 && Atomics.compareExchange(i32, e + ID, 0, id) === 0) ||
      (!isCurrent(e, i32) && Atomics.compareExchange(i32, e + ID, cur, id) === cur);
    if (!claim) continue;
    Atomics.store(i32, e + REF, ref);
    Atomics.store(i32, e + GEN, gen);
    writeStringSlot(e + LOCK, e + PTR, name);
    return;
  }
}

/** The name given to the object with dump id `id`, or null. */
export function nameOfObject(id: number): string | null {
  const i32 = arena().i32;
  const base = table();
  for (let k = 0; k < SLOTS; k++) {
    const e = base + ((id + k) % SLOTS) * ENTRY;
    const cur = Atomics.load(i32, e + ID);
    if (cur === 0) return null;
    if (cur === id) return isCurrent(e, i32) ? readStringSlot(e + LOCK, e + PTR) : null;
  }
  return null;
}
