/**
 * `startDeadlockWatchdog()`: the deadlock check in a daemon thread, so it runs even when the
 * main thread is itself deadlocked. Each cycle is reported once, after it was seen in two
 * checks in a row (a Lock's holder word is written just after its compare-exchange, so one
 * snapshot may be stale; a real deadlock stays).
 */
import { nativeFunction } from '../targets/native-import.js';
import { threadable } from '../targets/threadable.js';
import { writeWhole } from '../threads/output.js';
import { Thread } from '../threads/thread.js';
import { type Deadlock, deadlockKey, findDeadlocks, formatDeadlock } from './deadlock.js';

/** Options of {@link startDeadlockWatchdog}. */
export interface WatchdogOptions {
  /** Seconds between checks (default 1). */
  interval?: number;
  /**
   * Called, in the watchdog thread, once per newly found cycle with the cycle and its text.
   * It crosses to that thread as an inline target does: it must be self-contained (no
   * closure variables). Default: write the text ("Found one deadlock:" …) to stderr.
   */
  onDeadlock?: (deadlock: Deadlock, report: string) => void;
}

/** A running watchdog. */
export interface Watchdog {
  /** Stop checking (the thread ends at its next wake-up, which this causes at once). */
  stop(): void;
  /** The daemon thread running the checks. */
  readonly thread: Thread;
  /**
   * Resolves (without blocking the event loop) once the watchdog has reported a deadlock:
   * lets a program end instead of hanging (see examples/ch04/diningPhilosophers.ts).
   */
  whenFound(): Promise<void>;
}

const watchLoop = threadable(
  import.meta.url,
  (
    intervalMs: number,
    stopFlag: Int32Array,
    found: Int32Array,
    handlerSource: string | null,
  ): void => {
    const handler =
      handlerSource === null
        ? (_d: Deadlock, text: string) => writeWhole(2, text)
        : (nativeFunction(`return (${handlerSource});`)() as (d: Deadlock, t: string) => void);
    const reported = new Set<string>();
    let previous = new Set<string>();
    while (Atomics.wait(stopFlag, 0, 0, intervalMs) !== 'not-equal' && stopFlag[0] === 0) {
      const now = new Set<string>();
      for (const d of findDeadlocks()) {
        const key = deadlockKey(d);
        now.add(key);
        if (previous.has(key) && !reported.has(key)) {
          reported.add(key);
          handler(d, formatDeadlock(d));
          Atomics.add(found, 0, 1);
          Atomics.notify(found, 0);
        }
      }
      previous = now;
    }
  },
  'threadkit.deadlockWatchdog',
);

/**
 * Check for deadlocks every `interval` seconds in a daemon thread and report each cycle of
 * the wait-for graph once (default: "Found one deadlock:" with the threads, the objects and,
 * with diagnostics on, the stacks, on stderr). Also reports a thread waiting for a lock
 * whose holder has ended. Returns a handle to stop it.
 */
export function startDeadlockWatchdog(options: WatchdogOptions = {}): Watchdog {
  const interval = options.interval ?? 1;
  if (typeof interval !== 'number' || !(interval > 0) || !Number.isFinite(interval)) {
    throw new TypeError(
      `startDeadlockWatchdog: interval must be a positive number of seconds, got ${String(interval)}`,
    );
  }
  const onDeadlock = options.onDeadlock;
  if (onDeadlock !== undefined && typeof onDeadlock !== 'function') {
    throw new TypeError('startDeadlockWatchdog: onDeadlock must be a function');
  }
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const found = new Int32Array(new SharedArrayBuffer(4));
  const thread = new Thread({
    target: watchLoop,
    args: [interval * 1000, stopFlag, found, onDeadlock ? onDeadlock.toString() : null],
    name: 'DeadlockWatchdog',
    daemon: true,
  });
  thread.start();
  return {
    thread,
    async whenFound() {
      // Atomics.waitAsync does not keep the event loop alive (the other threads may all be
      // daemons, deadlocked): a timer does, until the report.
      const keepAlive = setInterval(() => {}, 1 << 30);
      try {
        while (Atomics.load(found, 0) === 0) await Atomics.waitAsync(found, 0, 0).value;
      } finally {
        clearInterval(keepAlive);
      }
    },
    stop() {
      Atomics.store(stopFlag, 0, 1);
      Atomics.notify(stopFlag, 0);
    },
  };
}
