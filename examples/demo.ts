/**
 * threadkit's demo (`pnpm demo`): Python's threading on Node worker threads.
 * Shows: named threads, enumerate(), a lock-protected shared counter and a daemon thread.
 *
 * Four named threads add to one counter in shared memory, each increment under a Lock; a
 * daemon thread beats in the background (an Event tells when it has started) and is stopped
 * when the program ends.
 */
import { isMainThread } from 'node:worker_threads';
import {
  currentThread,
  Event,
  enumerate,
  Lock,
  print,
  sleep,
  Thread,
  threadable,
  Value,
} from '@threadkit/core';

const TIMES = 25_000;

export const count = threadable(
  import.meta.url,
  function count(counter: Value, lock: Lock, times: number): void {
    for (let i = 0; i < times; i++) {
      // `counter.value += 1` is a read then a write: the lock makes the pair atomic
      lock.withLock(() => {
        counter.value += 1;
      });
    }
    print(`${currentThread().name} added ${times}`);
  },
);

export const heartbeat = threadable(
  import.meta.url,
  function heartbeat(beats: Value, started: Event): void {
    for (;;) {
      beats.value += 1;
      started.set();
      sleep(0.01);
    }
  },
);

if (isMainThread) {
  const counter = Value('i', 0, { lock: false });
  const lock = new Lock();
  const beats = Value('i', 0);
  const started = new Event();

  const daemon = new Thread({
    name: 'heartbeat',
    target: heartbeat,
    args: [beats, started],
    daemon: true,
  });
  daemon.start();
  started.wait(); // until the first beat
  const workers = ['alice', 'bob', 'carol', 'dave'].map(
    (name) => new Thread({ name, target: count, args: [counter, lock, TIMES] }),
  );
  for (const w of workers) w.start();
  print(
    `Running: ${enumerate()
      .map((t) => t.name)
      .join(', ')}`,
  );

  for (const w of workers) w.join();
  print(`Counter: ${counter.value} (4 threads x ${TIMES} increments under one Lock: none lost)`);
  print(
    `Still running: ${enumerate()
      .map((t) => `${t.name}${t.daemon ? ' (daemon)' : ''}`)
      .join(', ')}`,
  );
  print(
    `The heartbeat beat ${beats.value} times meanwhile; as a daemon it stops when the program ends.`,
  );
}
