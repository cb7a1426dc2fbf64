/**
 * `memoryStats()`: what the arena holds, for operators of long-running programs (a service
 * that stays flat shows `used` and `objects` level off) and for the reclamation tests.
 */
import { liveObjects } from '../shared/lifetime.js';
import { arenaStats } from './arena.js';

/** Process-wide shared-memory figures (every thread maps the same arena). */
export interface MemoryStats {
  /** Bytes of the shared arena mapped so far (it grows, never shrinks). */
  reserved: number;
  /** Bytes handed out and not yet freed. */
  used: number;
  /** Bytes freed and waiting on free lists to be reused by later allocations. */
  free: number;
  /** Live shared objects by type (`{ Lock: 3, Queue: 1 }`); types with none are left out. */
  objects: Record<string, number>;
}

/**
 * A snapshot of shared memory: arena bytes reserved, used and free, and live shared objects
 * by type. Objects are counted from creation until reclaimed (when no thread can reach them
 * any more, after the garbage collector has collected every handle). Cheap: a few dozen
 * atomic reads.
 */
export function memoryStats(): MemoryStats {
  return { ...arenaStats(), objects: liveObjects() };
}
