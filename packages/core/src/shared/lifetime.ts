/**
 * Lifetime of shared objects: a reference count per object in the arena, as Rust's `Arc`
 * (clone = +1 while you hold one, drop = −1, the last drop frees), counted per thread rather
 * than per JS handle.
 *
 * What holds a count (docs/DESIGN.md, "Lifetime of shared objects"):
 *   - each thread that has a handle holds ONE count, through its handle cache (which also
 *     keeps identity: one object per thread however often it arrives); a
 *     `FinalizationRegistry` drops it when the thread's handle is collected, and a worker
 *     that ends drops every count it still holds;
 *   - each encoded copy in flight (a queue item, the arguments of a thread or pool task, a
 *     result) holds one, from `encodeShared` until it is revived (the count moves into the
 *     receiving thread's cache) or discarded;
 *   - a container holds one for each child it names in shared memory (a Condition its lock,
 *     a Barrier its Condition, a Value/Array its lock).
 * A thread parked on an object is inside one of its methods, so it has a live handle and
 * therefore a count. When the count reaches 0 the type's `free` hook releases what the
 * object owns and the block goes back to the arena's free lists.
 *
 * Block layout (an `alloc` block; `ref` is what `alloc` returned):
 *   ref − 8: size class | generation (arena.ts)   ref − 4: reference count
 *   ref + 0: type tag                             ref + 4: one spare word (a child's ref)
 *   ref + 8: the type's payload (8-byte aligned)
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';
import { alloc, arena, arenaStats, blockGeneration, free, ROOTS, root } from '../memory/arena.js';
import { stateSlot } from '../thread-state.js';

/** Bytes before a shared object's payload (type tag and a spare word). */
export const OBJECT_HEADER = 8;

/** What a type registers so its objects can be freed. */
export interface LifetimeHooks {
  /**
   * Release what the object owns, given its payload's byte offset: other arena blocks (item
   * buffers), counts on children ({@link releaseRef}), encoded items ({@link discardEncoded}).
   * Runs once, in whichever thread dropped the last count; no handle exists any more.
   */
  free?(payload: number): void;
  /**
   * List this type's handles in {@link reachableHandles} (locks: what a thread that ends may
   * still hold). Kept in an index of their own, so a thread's end looks at its locks only.
   */
  listed?: boolean;
}

interface TypeInfo {
  name: string;
  hooks: LifetimeHooks;
}

const types = stateSlot('lifetimeTypes', () => new Map<number, TypeInfo>());

function tagOf(name: string): number {
  // FNV-1a: the same number in every thread whatever order modules load in.
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h | 1; // never 0 (an empty stats slot)
}

/** Declare a reclaimable shared type (once per thread, at module load). Returns its tag. */
export function defineLifetime(name: string, hooks: LifetimeHooks = {}): number {
  const tag = tagOf(name);
  if (!types.has(tag)) types.set(tag, { name, hooks });
  if (hooks.listed) listedTags.add(tag);
  return tag;
}

/** The tags of the types whose handles {@link reachableHandles} lists. */
const listedTags = stateSlot('lifetimeListedTags', () => new Set<number>());

// --- Live objects by type, process-wide: [tag, count] pairs in a root block ---------------
const STAT_SLOTS = 64;
function statsBase(): number {
  return root(ROOTS.lifetime, STAT_SLOTS * 8) >> 2;
}

const statWord = stateSlot('lifetimeStatWords', () => new Map<number, number>());

// The type counted last, and its word: a program making many objects of one type skips the map.
const lastStat = stateSlot('lifetimeLastStat', () => ({ tag: 0, word: 0 }));

function countLive(tag: number, delta: number): void {
  const i32 = arena().i32;
  if (tag === lastStat.tag) {
    Atomics.add(i32, lastStat.word, delta);
    return;
  }
  const known = statWord.get(tag);
  if (known !== undefined) {
    lastStat.tag = tag;
    lastStat.word = known;
    Atomics.add(i32, known, delta);
    return;
  }
  const base = statsBase();
  for (let i = 0; i < STAT_SLOTS; i++) {
    const w = base + i * 2;
    let t = Atomics.load(i32, w);
    if (t === 0) {
      const prev = Atomics.compareExchange(i32, w, 0, tag);
      t = prev === 0 ? tag : prev;
    }
    if (t === tag) {
      statWord.set(tag, w + 1);
      Atomics.add(i32, w + 1, delta);
      return;
    }
  }
}

/** Live shared objects by type name, process-wide. */
export function liveObjects(): Record<string, number> {
  const i32 = arena().i32;
  const base = statsBase();
  const out: Record<string, number> = {};
  for (let i = 0; i < STAT_SLOTS; i++) {
    const t = Atomics.load(i32, base + i * 2);
    if (t === 0) break;
    const n = Atomics.load(i32, base + i * 2 + 1);
    const name = types.get(t)?.name ?? `type#${(t >>> 0).toString(16)}`;
    if (n !== 0) out[name] = (out[name] ?? 0) + n;
  }
  return out;
}

// --- Collection pressure -----------------------------------------------------------------
// A handle is a small JS object while its shared object may own kilobytes of arena (a queue and
// its slots), and V8 does not see the arena: left alone it may not collect for hundreds of
// thousands of dropped handles. So every CHECK_EVERY objects this thread makes it looks at the
// arena's used bytes, and when they stand PRESSURE_BYTES above the lowest it has seen since its
// last collection, it collects (a full GC, as an ArrayBuffer's external memory would cause).
// Finalizers then drop the counts at the next turn of the event loop.
const PRESSURE_BYTES = 16 << 20;
const CHECK_EVERY = 1024;
const pressure = stateSlot('lifetimePressure', () => ({
  made: 0,
  /** Handles revived in this thread (objects that arrived); see {@link handlesRevived}. */
  revived: 0,
  low: Number.POSITIVE_INFINITY,
  gc: null as (() => void) | null,
}));

function collector(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return g;
  // Not exposed: turn the flag on and take `gc` from a fresh context (a documented V8 flag).
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function checkPressure(): void {
  pressure.made = 0;
  const used = arenaStats().used;
  if (used < pressure.low) pressure.low = used;
  if (used - pressure.low < PRESSURE_BYTES) return;
  pressure.low = used;
  pressure.gc ??= collector();
  pressure.gc();
}

/** A worker idle this long after revived handles collects once (see {@link collectWhenIdle}). */
const IDLE_COLLECT_MS = 1000;
const idle = stateSlot('lifetimeIdleCollect', () => ({
  timer: null as ReturnType<typeof setTimeout> | null,
  /** `pressure.revived` at the last idle collection. */
  seen: 0,
}));

/**
 * As a warm worker's job ends: if the job revived handles (its arguments, items it took),
 * collect once the worker has been idle a moment, so their counts are given back. An idle
 * worker allocates nothing and V8 would never collect there: the objects would stay alive
 * until the worker's next jobs. A busy worker keeps pushing the timer back (one timer,
 * refreshed), and the timer does not keep the worker alive.
 */
export function collectWhenIdle(): void {
  if (pressure.revived === idle.seen) return;
  if (idle.timer) {
    idle.timer.refresh();
    return;
  }
  idle.timer = setTimeout(() => {
    idle.timer = null;
    idle.seen = pressure.revived;
    pressure.gc ??= collector();
    pressure.gc();
  }, IDLE_COLLECT_MS);
  idle.timer.unref?.();
}

// --- Counts ----------------------------------------------------------------------------

/**
 * Allocate a shared object of type `tag` with `bytes` of zeroed payload. Its one count
 * belongs to the handle the caller is constructing, which must be given to {@link track}.
 * Returns the object's ref (the payload is at `ref + OBJECT_HEADER`).
 */
export function allocObject(tag: number, bytes: number): number {
  if (++pressure.made === CHECK_EVERY) checkPressure();
  const ref = alloc(OBJECT_HEADER + bytes);
  const i32 = arena().i32;
  const w = ref >> 2;
  const end = (ref + OBJECT_HEADER + bytes + 3) >> 2;
  if (end - w <= 8) for (let k = w + 1; k < end; k++) i32[k] = 0;
  else i32.fill(0, w + 1, end);
  i32[w] = tag;
  Atomics.store(i32, (ref >> 2) - 1, 1);
  countLive(tag, 1);
  return ref;
}

/**
 * Records: objects read as tables of words (thread and process records), addressed by the
 * word index of their body. A new record is zeroed and holds one count, the caller's.
 */
export function allocRecord(tag: number, bytes: number): number {
  return (allocObject(tag, bytes) + OBJECT_HEADER) >> 2;
}

/** The lifetime ref of the record at word index `rec`. */
export function recordRef(rec: number): number {
  return rec * 4 - OBJECT_HEADER;
}

/** Take a count on a record (the caller holds one already, or the lock of its table). */
export function retainRecord(rec: number): void {
  retainRef(recordRef(rec));
}

/** Give a count back on a record; the last one frees it. */
export function releaseRecord(rec: number): void {
  releaseRef(recordRef(rec));
}

/** Add a count (the caller holds one already: a live handle or a container's child count). */
export function retainRef(ref: number): void {
  if (ref !== 0) Atomics.add(arena().i32, (ref >> 2) - 1, 1);
}

/** Drop a count; the last one frees the object. */
export function releaseRef(ref: number): void {
  if (ref === 0) return;
  const i32 = arena().i32;
  const left = Atomics.sub(i32, (ref >> 2) - 1, 1) - 1;
  if (left > 0) return;
  if (left < 0) {
    throw new Error(`threadkit: use after free: a shared object at byte ${ref} was released twice`);
  }
  const tag = i32[ref >> 2];
  const info = types.get(tag);
  info?.hooks.free?.(ref + OBJECT_HEADER);
  countLive(tag, -1);
  free(ref);
}

/** The count, for tests and stats. */
export function refCount(ref: number): number {
  return Atomics.load(arena().i32, (ref >> 2) - 1);
}

/**
 * Allocate a new shared object for the handle `obj` being constructed in this thread:
 * `bytes` of zeroed payload whose one count is `obj`'s. Returns the payload's byte offset
 * (8-byte aligned). The one call a reclaimable type makes instead of `allocPermanent`.
 */
export function createShared(obj: object, tag: number, bytes: number): number {
  const ref = allocObject(tag, bytes);
  track(obj, ref, false);
  return ref + OBJECT_HEADER;
}

/** The child ref a container stored with {@link adoptChild} (0 if none). */
export function childOf(payload: number): number {
  return arena().i32[(payload >> 2) - 1];
}

/**
 * Remember `child` (a ref from {@link refFor}, 0 for none) in the object's spare header word
 * and take a count on it: the child lives at least as long as the container. The type's
 * `free` hook gives it back with `releaseRef(childOf(payload))`.
 */
export function adoptChild(payload: number, child: number): void {
  retainRef(child);
  arena().i32[(payload >> 2) - 1] = child;
}

/** The block generation a descriptor carries, checked when it is revived. */
export function generationOf(ref: number): number {
  return blockGeneration(ref);
}

/**
 * Check that `ref` still names a live object at generation `gen`; a stale
 * descriptor (its object freed, the block perhaps reused) is a clear error.
 */
export function checkLive(ref: number, gen: number, what: string): void {
  const i32 = arena().i32;
  if (
    ref <= 0 ||
    ref >= i32.length * 4 ||
    blockGeneration(ref) !== gen ||
    Atomics.load(i32, (ref >> 2) - 1) <= 0
  ) {
    throw new Error(
      `threadkit: use after free: a ${what} descriptor names memory that was freed (nothing held a reference to it while it was in flight)`,
    );
  }
}

// --- This thread's handles: one per object, one count each --------------------------------

// A handle carries its ref under this symbol (a WeakMap for handles that refuse properties,
// such as `local`'s proxy); the identity map gets an entry once the object is described for
// crossing (only then can its descriptor come back), so making one costs no map work.
// A type whose handles know their ref already (a Lock's word index) defines a getter under
// it on its prototype instead, which spares the per-object property (about a tenth of
// making a Lock).
const REF = Symbol('threadkit.ref');

/**
 * The key a type may define a getter under, on its prototype, returning the handle's ref
 * (payload offset − {@link OBJECT_HEADER}); {@link track} then adds no property per object.
 */
export const SHARED_REF: typeof REF = REF;

const cache = stateSlot('sharedHandles', () => ({
  byRef: new Map<number, WeakRef<object>>(),
  /** The entries of `byRef` whose type is listed (see {@link LifetimeHooks.listed}). */
  listed: new Map<number, WeakRef<object>>(),
  refOf: new WeakMap<object, number>(),
  /** Workers only: counts held per ref (a collected handle's until its finalizer runs). */
  owed: new Map<number, number>(),
  gone: new FinalizationRegistry<number>((ref) => dropHandle(ref)),
  inWorker: !isMainThread,
  exitHook: false,
  /** Set by {@link releaseAll}: this thread's counts are given back, finalizers must not. */
  closed: false,
}));

function dropHandle(ref: number): void {
  const c = cache;
  if (c.closed) return;
  if (c.inWorker) {
    const n = (c.owed.get(ref) ?? 1) - 1;
    if (n > 0) c.owed.set(ref, n);
    else c.owed.delete(ref);
  }
  const live = c.byRef.get(ref);
  if (live && live.deref() === undefined) {
    c.byRef.delete(ref);
    c.listed.delete(ref);
  }
  releaseRef(ref);
}

/** Enter `obj` as this thread's reachable handle for `ref` (and in the listed index). */
function enterHandle(c: typeof cache, obj: object, ref: number): void {
  const weak = new WeakRef(obj);
  c.byRef.set(ref, weak);
  if (listedTags.size !== 0 && listedTags.has(arena().i32[ref >> 2])) c.listed.set(ref, weak);
}

/**
 * Make `obj` this thread's handle for `ref`; it owns one count (already taken). `known`:
 * enter it in the identity map now (a revived handle); a new object enters it when first
 * described for crossing ({@link indexHandle}).
 */
export function track(obj: object, ref: number, known = true): void {
  const c = cache;
  if (
    (obj as { [REF]?: number })[REF] !== ref &&
    !Reflect.defineProperty(obj, REF, { value: ref, configurable: true })
  )
    c.refOf.set(obj, ref);
  if (known) {
    enterHandle(c, obj, ref);
    // A thread that only receives objects (a pool thread) must collect too: what it holds
    // keeps the arena up while it makes nothing.
    if (++pressure.revived % CHECK_EVERY === 0) checkPressure();
  }
  c.gone.register(obj, ref);
  if (c.inWorker) {
    c.owed.set(ref, (c.owed.get(ref) ?? 0) + 1);
    if (!c.exitHook) {
      c.exitHook = true;
      // A worker that ends drops every count it still holds (finalizers never run after exit).
      process.once('exit', releaseAll);
    }
  }
}

/**
 * How many handles this thread has revived so far. A thread that runs tasks back to back
 * without returning to its event loop (a pool thread) yields to it now and then when this
 * has moved on, so that collected handles' finalizers run and drop their counts.
 */
export function handlesRevived(): number {
  return pressure.revived;
}

/** Enter a handle made in this thread in the identity map (its descriptor may come back). */
export function indexHandle(obj: object, ref: number): void {
  const c = cache;
  if (c.byRef.get(ref)?.deref() !== obj) enterHandle(c, obj, ref);
}

/** This thread's live handle for `ref`, if any. */
export function handleFor(ref: number): object | undefined {
  return cache.byRef.get(ref)?.deref();
}

/**
 * The shared objects of listed types (locks) this thread has a live handle for that other
 * threads may reach (received here, or made here and sent), by ref and type name: what a
 * thread that ends may still hold (threads/held-at-end.ts). Only the listed index is walked:
 * a warm worker's end costs nothing for the other handles its jobs left behind.
 */
export function reachableHandles(): { ref: number; type: string }[] {
  const i32 = arena().i32;
  const out: { ref: number; type: string }[] = [];
  for (const [ref, handle] of cache.listed) {
    if (handle.deref() !== undefined) out.push({ ref, type: types.get(i32[ref >> 2])?.name ?? '' });
  }
  return out;
}

/** The ref of a tracked handle (0 for shared objects without a reference count). */
export function refFor(obj: object): number {
  return (obj as { [REF]?: number })[REF] ?? cache.refOf.get(obj) ?? 0;
}

/** Drop every count this thread holds (its handles become unusable: the thread is ending). */
export function releaseAll(): void {
  const c = cache;
  c.closed = true;
  const owed = [...c.owed];
  c.owed.clear();
  c.byRef.clear();
  c.listed.clear();
  for (const [ref, n] of owed) for (let i = 0; i < n; i++) releaseRef(ref);
}
