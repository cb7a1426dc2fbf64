/**
 * Original: Chapter 04/diningPhilosophers.py
 * Shows: the dining philosophers: five threads, five RLock forks, left fork first: deadlock.
 *
 * Each philosopher thinks, takes the left fork, then the right. If all five take their left
 * fork at once, each waits forever for the right one: the book's program, an endless loop,
 * can hang that way. The port keeps the book's order of taking forks but waits for the right
 * fork with a timeout (acquire(true, t)): when it expires it says so, puts the left fork
 * down and tries again later, which breaks the deadlock. Each philosopher eats a set number
 * of meals (or eats until a time limit), then leaves the table.
 * With --deadlock the port does what the book's program can do: every philosopher takes the
 * left fork, all at once (a Barrier), then waits for the right one with no timeout. The circle
 * is closed; threadkit's deadlock watchdog (startDeadlockWatchdog) reports the cycle — which
 * philosopher waits for which fork, held by whom — and the script ends instead of hanging.
 * Options: --iterations <n> meals per philosopher (default 3); --seconds <s> time limit;
 * --deadlock.
 */
import { isMainThread } from 'node:worker_threads';
import {
  Barrier,
  currentThread,
  print,
  RLock,
  startDeadlockWatchdog,
  Thread,
} from '@threadkit/core';
import { nap, options, randint, scaled } from '../lib/cli.js';

const meals = options.iterations ?? 3;
const seconds = options.seconds ?? Number.POSITIVE_INFINITY;
const deadlock = process.argv.includes('--deadlock');

export class Philosopher extends Thread {
  static module = import.meta.url;
  leftFork: RLock;
  rightFork: RLock;
  /** When this philosopher must leave, in `Date.now()` milliseconds (--seconds). */
  deadline: number;

  /** With --deadlock: where all five meet holding their left fork. */
  allSeated: Barrier | null;

  constructor(name: string, leftFork: RLock, rightFork: RLock, allSeated: Barrier | null = null) {
    print(`${name} Has Sat Down At the Table`);
    // Deadlocked philosophers are daemons, so the program can end without them.
    super({ name, daemon: allSeated !== null });
    this.allSeated = allSeated;
    this.leftFork = leftFork;
    this.rightFork = rightFork;
    this.deadline = Date.now() + seconds * 1000;
  }

  override run(): void {
    if (this.allSeated) {
      this.deadlockRun();
      return;
    }
    const me = currentThread().name;
    print(`${me} has started thinking`);
    let eaten = 0;
    while (eaten < meals && Date.now() < this.deadline) {
      nap(randint(1, 5));
      print(`${me} has finished thinking`);
      this.leftFork.acquire();
      nap(randint(1, 5));
      try {
        print(`${me} has acquired the left fork`);
        // The book blocks here for as long as it takes: forever, in a deadlock.
        if (!this.rightFork.acquire(true, scaled(6))) {
          print(`${me} waited too long for the right fork (deadlock?), putting the left fork down`);
          continue;
        }
        try {
          eaten += 1;
          print(`${me} has attained both forks, currently eating (meal ${eaten} of ${meals})`);
        } finally {
          this.rightFork.release();
          print(`${me} has released the right fork`);
        }
      } finally {
        this.leftFork.release();
        print(`${me} has released the left fork`);
      }
    }
    print(`${me} has eaten ${eaten} meals and leaves the table`);
  }

  /** The book's program at its worst: left fork, then the right one, waiting forever. */
  deadlockRun(): void {
    const me = currentThread().name;
    this.leftFork.acquire();
    print(`${me} has acquired the left fork`);
    this.allSeated?.wait();
    this.rightFork.acquire(); // never returns: its right fork is someone's left one
  }
}

if (isMainThread && deadlock) {
  const forks = [new RLock(), new RLock(), new RLock(), new RLock(), new RLock()];
  const names = ['Kant', 'Aristotle', 'Spinoza', 'Marx', 'Russell'];
  const watchdog = startDeadlockWatchdog({ interval: 0.1 }); // "Found one deadlock:" on stderr
  const seated = new Barrier(5);
  const philosophers = names.map(
    (name, i) => new Philosopher(name, forks[i], forks[(i + 1) % 5], seated),
  );
  for (const p of philosophers) p.start();
  await watchdog.whenFound();
  print('The philosophers are deadlocked (see the report above); ending instead of hanging.');
  process.exit(0);
} else if (isMainThread) {
  const forks = [new RLock(), new RLock(), new RLock(), new RLock(), new RLock()];
  const names = ['Kant', 'Aristotle', 'Spinoza', 'Marx', 'Russell'];
  // Russell's right fork is Kant's left one: that closes the circle.
  const philosophers = names.map((name, i) => new Philosopher(name, forks[i], forks[(i + 1) % 5]));
  for (const p of philosophers) p.start();
  for (const p of philosophers) p.join();
  print('Every philosopher has left the table.');
}
