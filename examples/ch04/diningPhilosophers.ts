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
 * Options: --iterations <n> meals per philosopher (default 3); --seconds <s> time limit.
 */
import { isMainThread } from 'node:worker_threads';
import { currentThread, print, RLock, Thread } from '@threadkit/core';
import { nap, options, randint, scaled } from '../lib/cli.js';

const meals = options.iterations ?? 3;
const seconds = options.seconds ?? Number.POSITIVE_INFINITY;

export class Philosopher extends Thread {
  static module = import.meta.url;
  leftFork: RLock;
  rightFork: RLock;
  /** When this philosopher must leave, in `Date.now()` milliseconds (--seconds). */
  deadline: number;

  constructor(name: string, leftFork: RLock, rightFork: RLock) {
    print(`${name} Has Sat Down At the Table`);
    super({ name });
    this.leftFork = leftFork;
    this.rightFork = rightFork;
    this.deadline = Date.now() + seconds * 1000;
  }

  override run(): void {
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
}

if (isMainThread) {
  const forks = [new RLock(), new RLock(), new RLock(), new RLock(), new RLock()];
  const names = ['Kant', 'Aristotle', 'Spinoza', 'Marx', 'Russell'];
  // Russell's right fork is Kant's left one: that closes the circle.
  const philosophers = names.map((name, i) => new Philosopher(name, forks[i], forks[(i + 1) % 5]));
  for (const p of philosophers) p.start();
  for (const p of philosophers) p.join();
  print('Every philosopher has left the table.');
}
