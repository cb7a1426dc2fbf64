/**
 * The shared-memory task path of a ThreadPoolExecutor: two bounded rings in the arena and the
 * counters that tell the owner how many pool threads are waiting for work.
 *
 * - The *task ring* has one producer (the owner) and many consumers (the pool threads). A cell
 *   holds the task word (the cancel hand-shake of task-words.ts, also the task's id), the spec
 *   reference (spec-store.ts), flags, and the arguments as one core wire slot.
 * - The *result ring* has many producers (the threads) and one consumer (the owner). A cell
 *   holds the task word, a status (a value, or cancelled) and the value as a wire slot.
 *
 * Both are Vyukov's bounded queue: each cell carries a sequence number that says whose turn it
 * is, so producers and consumers never share a lock and a full or empty ring is seen at once.
 * Positions are Int32 words that wrap; they are only ever compared by difference.
 *
 * Threads sleep on the task ring's `epoch` word (bumped by the owner after a push, notified
 * only when a thread is idle); the owner sleeps with `Atomics.waitAsync` on the result
 * ring's `epoch`, and a thread notifies only when the owner said it is waiting, so a burst of
 * results costs the owner one wake-up.
 */
import { alloc, arena, free, wire } from '@threadkit/core/internal';

/** Cells per ring (a power of two). Tasks beyond it wait in the owner's backlog. */
export const RING_CELLS = 512;
const MASK = RING_CELLS - 1;
/** Words per cell: 8 of metadata, then a 16-word wire slot (8-byte aligned). */
const CELL_WORDS = 8 + wire.SLOT_WORDS;

// Header words.
const T_HEAD = 0;
const T_TAIL = 1;
const T_EPOCH = 2;
/** Threads in their serve loop that will look at the task ring again before they leave. */
const IDLE = 3;
/** Serve tasks started by the owner whose thread has not entered its loop yet. */
const BOOTING = 4;
const STOP = 5;
const R_HEAD = 6;
const R_TAIL = 7;
const R_EPOCH = 8;
const OWNER_WAITING = 9;
/** 1 while one thread spins on the empty task ring (at most one: see {@link claimSpin}). */
const SPINNER = 10;
/** Serve loops running (idle or not). */
const LOOPS = 11;
const HEADER_WORDS = 16;

/** Task cell flags: the task is not in the cell but must be fetched from the owner. */
export const TASK_FETCH = 1;
/** Result statuses. */
export const RESULT_VALUE = 1;
export const RESULT_CANCELLED = 2;

const BYTES = (HEADER_WORDS + 2 * RING_CELLS * CELL_WORDS) * 4;

/** A task taken from the ring by a pool thread (its arguments still encoded). */
export interface RingTask {
  word: number;
  spec: number;
  flags: number;
  args: wire.Taken | null;
}

/** The rings of one executor, seen from either side (the owner or a pool thread). */
export class TaskRing {
  /** Int32 index of the header (the ring's address as threads receive it). */
  readonly base: number;
  readonly #taskCells: number;
  readonly #resultCells: number;

  private constructor(base: number) {
    this.base = base;
    this.#taskCells = base + HEADER_WORDS;
    this.#resultCells = this.#taskCells + RING_CELLS * CELL_WORDS;
  }

  /** Owner side: allocate and initialise a ring pair. */
  static create(): TaskRing {
    const ptr = alloc(BYTES);
    const i32 = arena().i32;
    const base = ptr >> 2;
    i32.fill(0, base, base + HEADER_WORDS);
    const ring = new TaskRing(base);
    for (let i = 0; i < RING_CELLS; i++) {
      Atomics.store(i32, ring.#taskCells + i * CELL_WORDS, i);
      Atomics.store(i32, ring.#resultCells + i * CELL_WORDS, i);
    }
    return ring;
  }

  /** Thread side: the ring at `base` (from {@link TaskRing.base}). */
  static at(base: number): TaskRing {
    return new TaskRing(base);
  }

  /** Owner side: free the rings (no thread may touch them any more). */
  dispose(): void {
    free(this.base << 2);
  }

  // --- task ring --------------------------------------------------------------------------

  /** Owner: push a task; false if the ring is full. `args` (if given) moves into the cell. */
  push(word: number, spec: number, flags: number, args: wire.Prepared | null): boolean {
    const i32 = arena().i32;
    const pos = i32[this.base + T_TAIL];
    const cell = this.#taskCells + (pos & MASK) * CELL_WORDS;
    if (Atomics.load(i32, cell) !== pos) return false;
    i32[cell + 1] = word;
    i32[cell + 2] = spec;
    i32[cell + 3] = flags;
    if (args) wire.storeSlot((cell + 8) << 2, args);
    Atomics.store(i32, cell, (pos + 1) | 0);
    i32[this.base + T_TAIL] = (pos + 1) | 0;
    Atomics.add(i32, this.base + T_EPOCH, 1);
    // A spinning thread takes the task without a wake-up; wake a sleeper only for more.
    if (
      Atomics.load(i32, this.base + IDLE) > 0 &&
      (Atomics.load(i32, this.base + SPINNER) === 0 || this.queued() > 1)
    ) {
      Atomics.notify(i32, this.base + T_EPOCH, 1);
    }
    return true;
  }

  /** Owner: tasks pushed and not yet taken by a thread. */
  queued(): number {
    const i32 = arena().i32;
    return (i32[this.base + T_TAIL] - Atomics.load(i32, this.base + T_HEAD)) | 0;
  }

  /** Thread: take the oldest task, or null if the ring is empty. */
  take(): RingTask | null {
    const i32 = arena().i32;
    for (;;) {
      const pos = Atomics.load(i32, this.base + T_HEAD);
      const cell = this.#taskCells + (pos & MASK) * CELL_WORDS;
      const dif = (Atomics.load(i32, cell) - (pos + 1)) | 0;
      if (dif < 0) return null;
      if (dif > 0) continue; // another thread took it: look again
      if (Atomics.compareExchange(i32, this.base + T_HEAD, pos, (pos + 1) | 0) !== pos) continue;
      const flags = i32[cell + 3];
      const task: RingTask = {
        word: i32[cell + 1],
        spec: i32[cell + 2],
        flags,
        args: flags & TASK_FETCH ? null : wire.takeSlot((cell + 8) << 2),
      };
      Atomics.store(i32, cell, (pos + RING_CELLS) | 0);
      return task;
    }
  }

  /**
   * Owner, once no thread can touch the ring (they are gone): empty the task ring, dropping
   * each task's arguments slot; returns the words of the tasks no thread took, oldest first.
   */
  abandonTasks(): number[] {
    const i32 = arena().i32;
    const words: number[] = [];
    for (;;) {
      const pos = i32[this.base + T_HEAD];
      const cell = this.#taskCells + (pos & MASK) * CELL_WORDS;
      if (i32[cell] !== ((pos + 1) | 0)) return words;
      words.push(i32[cell + 1]);
      if (!(i32[cell + 3] & TASK_FETCH)) wire.discardSlot((cell + 8) << 2);
      i32[cell] = (pos + RING_CELLS) | 0;
      i32[this.base + T_HEAD] = (pos + 1) | 0;
    }
  }

  /**
   * Thread: become the one thread that spins on the empty ring (the owner then skips the
   * wake-up of a single task); false if another one does. Give it up with
   * {@link releaseSpin}, then look at the ring once more before sleeping.
   */
  claimSpin(): boolean {
    return Atomics.compareExchange(arena().i32, this.base + SPINNER, 0, 1) === 0;
  }

  /** Thread: a serve loop starts (`+1`) or ends (`-1`). */
  addLoop(n: number): void {
    Atomics.add(arena().i32, this.base + LOOPS, n);
  }

  /** Thread: serve loops running a task now. */
  busyThreads(): number {
    const i32 = arena().i32;
    return Atomics.load(i32, this.base + LOOPS) - Atomics.load(i32, this.base + IDLE);
  }

  /** Thread: whether a task waits in the ring (a look, not a take). */
  hasTask(): boolean {
    const i32 = arena().i32;
    const pos = Atomics.load(i32, this.base + T_HEAD);
    return Atomics.load(i32, this.#taskCells + (pos & MASK) * CELL_WORDS) === ((pos + 1) | 0);
  }

  /** Thread: wake one sleeping thread (for a task whose push woke no one). */
  wakeOne(): void {
    Atomics.notify(arena().i32, this.base + T_EPOCH, 1);
  }

  /** Thread: stop spinning (see {@link claimSpin}). */
  releaseSpin(): void {
    Atomics.store(arena().i32, this.base + SPINNER, 0);
  }

  /** Thread: the epoch to pass to {@link sleep} (read before looking at the ring). */
  epoch(): number {
    return Atomics.load(arena().i32, this.base + T_EPOCH);
  }

  /** Thread: block until the owner pushes after `epoch`, it stops us, or `ms` pass. */
  sleep(epoch: number, ms: number): void {
    Atomics.wait(arena().i32, this.base + T_EPOCH, epoch, ms);
  }

  /** Counters of waiting threads (see the header words). */
  addIdle(n: number): void {
    Atomics.add(arena().i32, this.base + IDLE, n);
  }

  /** Owner: a serve task is starting (`+1`); thread: it has started (`-1`). */
  addBooting(n: number): void {
    Atomics.add(arena().i32, this.base + BOOTING, n);
  }

  /** Owner: threads that will look at the task ring again, or soon will. */
  waitingThreads(): number {
    const i32 = arena().i32;
    return Atomics.load(i32, this.base + IDLE) + Atomics.load(i32, this.base + BOOTING);
  }

  /** Owner: ask every serve loop to end once the ring is empty, and wake them. */
  stop(): void {
    const i32 = arena().i32;
    Atomics.store(i32, this.base + STOP, 1);
    Atomics.add(i32, this.base + T_EPOCH, 1);
    Atomics.notify(i32, this.base + T_EPOCH);
  }

  /** Thread: whether the owner asked the serve loops to end. */
  stopped(): boolean {
    return Atomics.load(arena().i32, this.base + STOP) === 1;
  }

  // --- result ring ------------------------------------------------------------------------

  /** Thread: report a task's end; false if the ring is full (report it another way). */
  report(word: number, status: number, value: wire.Prepared | null): boolean {
    const i32 = arena().i32;
    for (;;) {
      const pos = Atomics.load(i32, this.base + R_TAIL);
      const cell = this.#resultCells + (pos & MASK) * CELL_WORDS;
      const dif = (Atomics.load(i32, cell) - pos) | 0;
      if (dif < 0) return false;
      if (dif > 0) continue;
      if (Atomics.compareExchange(i32, this.base + R_TAIL, pos, (pos + 1) | 0) !== pos) continue;
      i32[cell + 1] = word;
      i32[cell + 2] = status;
      if (value) wire.storeSlot((cell + 8) << 2, value);
      Atomics.store(i32, cell, (pos + 1) | 0);
      Atomics.add(i32, this.base + R_EPOCH, 1);
      if (Atomics.compareExchange(i32, this.base + OWNER_WAITING, 1, 0) === 1) {
        Atomics.notify(i32, this.base + R_EPOCH);
      }
      return true;
    }
  }

  /** Owner: hand every reported result to `settle`, oldest first; how many there were. */
  drain(settle: (word: number, status: number, value: unknown) => void): number {
    const i32 = arena().i32;
    let n = 0;
    for (;;) {
      const pos = i32[this.base + R_HEAD];
      const cell = this.#resultCells + (pos & MASK) * CELL_WORDS;
      if (Atomics.load(i32, cell) !== ((pos + 1) | 0)) return n;
      const word = i32[cell + 1];
      const status = i32[cell + 2];
      const taken = status === RESULT_VALUE ? wire.takeSlot((cell + 8) << 2) : null;
      Atomics.store(i32, cell, (pos + RING_CELLS) | 0);
      i32[this.base + R_HEAD] = (pos + 1) | 0;
      n++;
      settle(word, status, taken ? wire.finish(taken) : undefined);
    }
  }

  /**
   * Owner: wait for the next result. Resolves at once if one came in since `drain` last
   * returned; else on the first report after this call (one wake-up for a whole burst).
   * It does not touch the ring once woken (it may have been freed meanwhile): call
   * {@link ownerAwake} after checking that it was not.
   */
  async whenReported(): Promise<void> {
    const i32 = arena().i32;
    const epoch = Atomics.load(i32, this.base + R_EPOCH);
    Atomics.store(i32, this.base + OWNER_WAITING, 1);
    const pos = i32[this.base + R_HEAD];
    const cell = this.#resultCells + (pos & MASK) * CELL_WORDS;
    if (Atomics.load(i32, cell) === ((pos + 1) | 0)) {
      Atomics.store(i32, this.base + OWNER_WAITING, 0);
      return;
    }
    const r = Atomics.waitAsync(i32, this.base + R_EPOCH, epoch);
    if (r.async) await r.value;
  }

  /** Owner: awake again after {@link whenReported}; threads need not notify it. */
  ownerAwake(): void {
    Atomics.store(arena().i32, this.base + OWNER_WAITING, 0);
  }

  /** Owner: wake a pending {@link whenReported} (before disposing of the ring). */
  wakeOwner(): void {
    const i32 = arena().i32;
    Atomics.add(i32, this.base + R_EPOCH, 1);
    Atomics.notify(i32, this.base + R_EPOCH);
  }
}
