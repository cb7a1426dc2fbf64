/**
 * The arena: one growable SharedArrayBuffer per process that every threadkit thread maps.
 *
 * Every shared object (locks, queues, thread records…) lives at an offset in it, so a shared
 * object is just `(type, offset)` and can cross any boundary — postMessage, queue bytes,
 * nested inside other objects — without carrying a buffer. Primitives carve a few words each,
 * which keeps 100 000 locks as cheap as CPython's instead of one 566-byte SAB per lock.
 *
 * The main thread creates it when threadkit is first imported and publishes it with
 * `setEnvironmentData`, so every Worker created afterwards (by anyone) inherits it.
 */
import { getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads';
import { stateSlot } from '../thread-state.js';

const ENV_KEY = 'threadkit.arena.v1';
const MAGIC = 0x74686b31; // 'thk1'
const INITIAL_BYTES = 1 << 20;
// Offsets are int32 byte offsets (`ptr >> 2` indexes words), hence the 2 GiB ceiling.
// Only address space is reserved; pages are committed as the arena grows.
const MAX_BYTES = 2 ** 31 - (1 << 20);
const GROW_STEP = 1 << 20;

/** Word indices of the arena header (Int32 units). */
export const HEADER = {
  magic: 0,
  bump: 1, // next free byte (bump allocator)
  allocLock: 2, // the allocator's mutex (see lockAllocator)
  freeBytes: 3, // bytes on the free lists (memoryStats)
  /** 32 root pointers claimed by subsystems (registry, worker pool…), see {@link root}. */
  roots: 16,
  /** Free-list heads for size classes, one word each. */
  freeLists: 64,
} as const;

const HEADER_BYTES = 1024;
const SIZE_CLASSES = 40;

/** Typed views of the arena; length-tracking, so they follow `grow()`. */
export interface Arena {
  readonly sab: SharedArrayBuffer;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
}

function makeViews(sab: SharedArrayBuffer): Arena {
  return {
    sab,
    i32: new Int32Array(sab),
    u32: new Uint32Array(sab),
    f64: new Float64Array(sab),
    u8: new Uint8Array(sab),
    u16: new Uint16Array(sab),
  };
}

function createSab(): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(INITIAL_BYTES, { maxByteLength: MAX_BYTES });
  const i32 = new Int32Array(sab);
  i32[HEADER.magic] = MAGIC;
  i32[HEADER.bump] = HEADER_BYTES;
  return sab;
}

const slot = stateSlot('arena', () => ({ arena: null as Arena | null }));

/** This thread's arena, created (main thread) or inherited (workers) on first use. */
export function arena(): Arena {
  if (slot.arena) return slot.arena;
  let sab = getEnvironmentData(ENV_KEY) as SharedArrayBuffer | undefined;
  if (!(sab instanceof SharedArrayBuffer)) {
    // Main thread, or a worker whose creator never loaded threadkit: start a fresh arena and
    // publish it so that workers created from here on share it.
    sab = createSab();
    setEnvironmentData(ENV_KEY, sab);
  }
  slot.arena = makeViews(sab);
  return slot.arena;
}

/**
 * Adopt an arena received from another thread (a foreign worker that got a shared object
 * before touching threadkit). Returns false if this thread already uses a different one.
 */
export function adoptArena(sab: SharedArrayBuffer): boolean {
  if (slot.arena) return slot.arena.sab === sab || sameArena(slot.arena.sab, sab);
  slot.arena = makeViews(sab);
  setEnvironmentData(ENV_KEY, sab);
  return true;
}

function sameArena(a: SharedArrayBuffer, b: SharedArrayBuffer): boolean {
  // Two JS objects for one shared block: compare through memory (a scratch root word).
  if (a.byteLength !== b.byteLength && a.maxByteLength !== b.maxByteLength) return false;
  const x = new Int32Array(a);
  const y = new Int32Array(b);
  const probe = HEADER.roots + 31;
  const old = Atomics.load(x, probe);
  const mark = (old + 1) | 1;
  Atomics.store(x, probe, mark);
  const same = Atomics.load(y, probe) === mark;
  Atomics.store(x, probe, old);
  return same;
}

/** Whether this is the main thread (exported for modules that must not import worker_threads). */
export const onMainThread = isMainThread;

function ensureCapacity(a: Arena, end: number): void {
  while (a.sab.byteLength < end) {
    const want = Math.min(MAX_BYTES, Math.max(end, a.sab.byteLength * 2) + GROW_STEP - 1);
    const target = want - (want % GROW_STEP);
    if (target < end) throw new RangeError('threadkit: shared memory arena exhausted');
    try {
      a.sab.grow(target);
    } catch (err) {
      // Another thread grew it first (grow never shrinks): re-check.
      if (a.sab.byteLength < end && a.sab.byteLength >= target) throw err;
    }
  }
}

/**
 * Bump-allocate `bytes` that are never freed (primitives' words). Zero-filled, 8-byte aligned.
 * Returns a byte offset into the arena.
 */
export function allocPermanent(bytes: number): number {
  const a = arena();
  const size = (bytes + 7) & ~7;
  const start = Atomics.add(a.i32, HEADER.bump, size);
  if (start < 0 || start + size > MAX_BYTES)
    throw new RangeError('threadkit: shared memory arena exhausted');
  ensureCapacity(a, start + size);
  return start;
}

// --- A small size-class allocator for data that comes and goes (queue items, thread jobs) ---
// Blocks are powers of two from 16 bytes, with an 8-byte header holding the class, and a
// LIFO free list per class under one futex lock (allocation is short; contention is rare).

function classFor(bytes: number): number {
  let cls = 0;
  let size = 16;
  while (size < bytes + 8) {
    size *= 2;
    cls++;
  }
  if (cls >= SIZE_CLASSES)
    throw new RangeError(`threadkit: allocation of ${bytes} bytes is too large`);
  return cls;
}

// The allocator's mutex: the word lock's protocol (0 free, 1 held, 2 contended; see
// parking/word-lock.ts), written out once more here because this module is the layer below
// it: the parking layer's futex works on fixed views that memory/views.ts makes from the
// arena, so the arena cannot call up into it. It is held for a handful of instructions.
const ALLOC_SPINS = 64;

function lockAllocator(i32: Int32Array): void {
  const w = HEADER.allocLock;
  if (Atomics.compareExchange(i32, w, 0, 1) === 0) return;
  for (let k = 0; k < ALLOC_SPINS; k++) {
    if (Atomics.load(i32, w) === 0 && Atomics.compareExchange(i32, w, 0, 1) === 0) return;
  }
  while (Atomics.exchange(i32, w, 2) !== 0) Atomics.wait(i32, w, 2);
}

function unlockAllocator(i32: Int32Array): void {
  if (Atomics.exchange(i32, HEADER.allocLock, 0) === 2) Atomics.notify(i32, HEADER.allocLock, 1);
}

// Block header word 0: size class (low 8 bits) | generation (high 24 bits, bumped by every
// free, so a stale descriptor can be told from a reused block). Word 1: the free-list link
// while free; the owner's to use while allocated (the shared-object reference count).
const CLASS_MASK = 0xff;

/**
 * Debug mode (`THREADKIT_DEBUG_MEMORY=1`): freed blocks are filled with {@link POISON} and
 * checked when reused, and shared-object descriptors are checked against their block's
 * generation (see shared/lifetime.ts), so a use-after-free is a clear error, not corruption.
 */
export const DEBUG_MEMORY = process.env.THREADKIT_DEBUG_MEMORY === '1';
/** The word freed blocks are filled with in debug mode. */
export const POISON = 0x5eeeee5e | 0;

/** Allocate `bytes` (not zeroed) that must later be given to {@link free}. */
export function alloc(bytes: number): number {
  const a = arena();
  const cls = classFor(bytes);
  const headIdx = HEADER.freeLists + cls;
  if (Atomics.load(a.i32, headIdx) !== 0) {
    lockAllocator(a.i32);
    const block = a.i32[headIdx];
    if (block !== 0) {
      a.i32[headIdx] = a.i32[(block >> 2) + 1]; // next pointer lives in the header's 2nd word
      Atomics.sub(a.i32, HEADER.freeBytes, 16 << cls);
      unlockAllocator(a.i32);
      if (DEBUG_MEMORY) checkPoison(a.i32, block, cls);
      return block + 8;
    }
    unlockAllocator(a.i32);
  }
  const block = allocPermanent(16 << cls);
  a.i32[block >> 2] = cls;
  return block + 8;
}

function checkPoison(i32: Int32Array, block: number, cls: number): void {
  const end = (block + (16 << cls)) >> 2;
  for (let w = (block >> 2) + 2; w < end; w++) {
    if (i32[w] !== POISON) {
      throw new Error(
        `threadkit: use after free: freed arena block at byte ${block} was written to (word ${w - (block >> 2)}) after it was freed`,
      );
    }
  }
}

/** Return a block from {@link alloc} to its free list (its generation moves on). */
export function free(ptr: number): void {
  const a = arena();
  const block = ptr - 8;
  const head = a.i32[block >> 2];
  const cls = head & CLASS_MASK;
  if (DEBUG_MEMORY) a.i32.fill(POISON, (block >> 2) + 2, (block + (16 << cls)) >> 2);
  a.i32[block >> 2] = cls | ((((head >>> 8) + 1) & 0xffffff) << 8);
  const headIdx = HEADER.freeLists + cls;
  lockAllocator(a.i32);
  a.i32[(block >> 2) + 1] = a.i32[headIdx];
  a.i32[headIdx] = block;
  Atomics.add(a.i32, HEADER.freeBytes, 16 << cls);
  unlockAllocator(a.i32);
}

/** Usable bytes of a block from {@link alloc}. */
export function blockCapacity(ptr: number): number {
  return (16 << (arena().i32[(ptr - 8) >> 2] & CLASS_MASK)) - 8;
}

/** The generation of the block from {@link alloc} at `ptr` (changes each time it is freed). */
export function blockGeneration(ptr: number): number {
  return arena().i32[(ptr - 8) >> 2] >>> 8;
}

/** Arena bytes: reserved (mapped), used (handed out and live) and free (on free lists). */
export interface ArenaStats {
  /** Bytes of the SharedArrayBuffer (committed address space; the arena never shrinks). */
  reserved: number;
  /** Bytes handed out and not freed: live blocks, permanent data and the header. */
  used: number;
  /** Bytes in freed blocks, ready to be reused by later allocations. */
  free: number;
}

/** Current arena figures (process-wide: every thread shares the arena). */
export function arenaStats(): ArenaStats {
  const a = arena();
  const top = Math.min(Atomics.load(a.i32, HEADER.bump), a.sab.byteLength);
  const freeBytes = Atomics.load(a.i32, HEADER.freeBytes);
  return { reserved: a.sab.byteLength, used: top - freeBytes, free: freeBytes };
}

/**
 * A process-wide root: `bytes` of zeroed permanent memory at a fixed root slot, created by
 * whichever thread asks first. Subsystems (thread registry, worker pool) find their shared
 * state this way without any message passing.
 */
export function root(slotIndex: number, bytes: number): number {
  if (slotIndex < 0 || slotIndex >= 31) throw new RangeError('bad root slot');
  const a = arena();
  const idx = HEADER.roots + slotIndex;
  const existing = Atomics.load(a.i32, idx);
  if (existing !== 0) return existing;
  const fresh = allocPermanent(bytes);
  const prev = Atomics.compareExchange(a.i32, idx, 0, fresh);
  return prev === 0 ? fresh : prev; // the loser's block is a small, one-off leak
}

/** Root slot numbers, so subsystems never collide. */
export const ROOTS = {
  registry: 0,
  workerPool: 1,
  exit: 2,
  excepthook: 3,
  /** Thread idents and name counters, the stdout lock (threads/counters.ts). */
  threadCounters: 4,
  /** Live shared objects by type (shared/lifetime.ts). */
  lifetime: 5,
  /** Whether diagnostics are on, for every thread (diagnostics/switch.ts). */
  diagnostics: 6,
  /** Recent thread records by ident (diagnostics/known-threads.ts). */
  knownThreads: 7,
  /** Names given to shared objects for dumps (diagnostics/names.ts). */
  objectNames: 8,
  /** The process's name for dumps, set in a @threadkit/multiprocessing child (diagnostics/task.ts). */
  processName: 9,
  /** Pins of the containers' lock-free dict writers (containers/pins.ts). */
  containerPins: 10,
  /** @threadkit/multiprocessing's process registry. */
  multiprocessing: 16,
} as const;
