/**
 * Words of the shared arena, one per task in flight, for the cancel hand-shake between a
 * thread executor and its workers: PENDING (0) until a worker claims it (RUNNING) or the
 * owner cancels it (CANCELLED), by compare-exchange, so exactly one of them wins — Python's
 * `set_running_or_notify_cancel()` race, settled in shared memory.
 */
import { alloc, arena, free } from '@threadkit/core/internal';

export const PENDING = 0;
export const RUNNING = 1;
export const CANCELLED = 2;

const BLOCK_WORDS = 256;

/**
 * A pool of task words, carved from the arena in blocks and reused. It is also the futures'
 * link to their tasks (`RemoteTask`): one object per executor, the word passed along.
 */
export class TaskWords {
  #blocks: number[] = [];
  #free: number[] = [];

  /** A word set to PENDING. */
  take(): number {
    if (this.#free.length === 0) this.#grow();
    const word = this.#free.pop() as number;
    Atomics.store(arena().i32, word, PENDING);
    return word;
  }

  /** Give a word back once no worker can touch it any more (its task has reported). */
  release(word: number): void {
    this.#free.push(word);
  }

  /** Owner side: PENDING → CANCELLED; false if a worker already claimed the task. */
  tryCancel(word: number): boolean {
    return Atomics.compareExchange(arena().i32, word, PENDING, CANCELLED) === PENDING;
  }

  /** Whether a worker has claimed the task. */
  started(word: number): boolean {
    return Atomics.load(arena().i32, word) === RUNNING;
  }

  /** Free every block (only when no task is in flight). */
  dispose(): void {
    for (const block of this.#blocks) free(block);
    this.#blocks = [];
    this.#free = [];
  }

  #grow(): void {
    const ptr = alloc(BLOCK_WORDS * 4);
    this.#blocks.push(ptr);
    const base = ptr >> 2;
    for (let i = BLOCK_WORDS - 1; i >= 0; i--) this.#free.push(base + i);
  }
}

/** A zeroed arena word for a pool's worker counter (names `<prefix>_<k>`). */
export function counterWord(): { word: number; dispose(): void } {
  const ptr = alloc(8);
  Atomics.store(arena().i32, ptr >> 2, 0);
  return { word: ptr >> 2, dispose: () => free(ptr) };
}
