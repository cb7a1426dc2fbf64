/**
 * Original: Chapter 04/producerConsumer.py
 * Shows: Condition: a producer appends to a shared list and notify()s; a consumer wait()s.
 *
 * The book's file is Python 2 (print statements) and loops forever. The port produces a set
 * number of integers, then puts a "done" marker (null) at the far end of the list, so the
 * consumer pops every integer first and then stops. The shared list is threadkit's Deque
 * (a collections.deque in shared memory); the Condition guards the check-then-pop.
 * Options: --iterations <n> integers to produce (default 10).
 */
import { isMainThread } from 'node:worker_threads';
import { Condition, Deque, print, Thread } from '@threadkit/core';
import { nap, options, randint } from '../lib/cli.js';

const count = options.iterations ?? 10;

/** Produces random integers to a list. */
export class Producer extends Thread {
  static module = import.meta.url;
  integers: Deque;
  condition: Condition;

  constructor(integers: Deque, condition: Condition) {
    super();
    this.integers = integers;
    this.condition = condition;
  }

  /** Append random integers to the list at random times, then the "done" marker. */
  override run(): void {
    for (let i = 0; i < count; i++) {
      const integer = randint(0, 256);
      this.condition.acquire();
      print(`condition acquired by ${this.name}`);
      this.integers.append(integer);
      print(`${integer} appended to list by ${this.name}`);
      print(`condition notified by ${this.name}`);
      this.condition.notify();
      print(`condition released by ${this.name}`);
      this.condition.release();
      nap(1);
    }
    this.condition.withLock(() => {
      this.integers.appendleft(null); // popped after every integer
      this.condition.notify();
    });
  }
}

/** Consumes random integers from a list. */
export class Consumer extends Thread {
  static module = import.meta.url;
  integers: Deque;
  condition: Condition;

  constructor(integers: Deque, condition: Condition) {
    super();
    this.integers = integers;
    this.condition = condition;
  }

  /** Consume integers from the list until the "done" marker. */
  override run(): void {
    for (;;) {
      this.condition.acquire();
      print(`condition acquired by ${this.name}`);
      let integer: number | null;
      for (;;) {
        if (this.integers.length > 0) {
          integer = this.integers.pop();
          if (integer !== null) print(`${integer} popped from list by ${this.name}`);
          break;
        }
        print(`condition wait by ${this.name}`);
        this.condition.wait();
      }
      print(`condition released by ${this.name}`);
      this.condition.release();
      if (integer === null) break;
    }
    print(`${this.name} has consumed everything`);
  }
}

if (isMainThread) {
  const integers = new Deque();
  const condition = new Condition();
  const t1 = new Producer(integers, condition);
  const t2 = new Consumer(integers, condition);
  t1.start();
  t2.start();
  t1.join();
  t2.join();
}
