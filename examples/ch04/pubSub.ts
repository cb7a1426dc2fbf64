/**
 * Original: Chapter 04/pubSub.py
 * Shows: publish/subscribe with a Condition: one publisher, two subscribers, a shared list.
 *
 * The book's version loops forever (and its last lines join undefined names). The port
 * publishes a set number of integers, then one "done" marker (null) per subscriber at the
 * far end of the list, so every integer is popped exactly once before the subscribers stop.
 * The shared list is threadkit's Deque (a collections.deque in shared memory).
 * Options: --iterations <n> integers to publish (default 10).
 */
import { isMainThread } from 'node:worker_threads';
import { Condition, Deque, print, Thread } from '@threadkit/core';
import { nap, options, randint } from '../lib/cli.js';

const count = options.iterations ?? 10;
const SUBSCRIBERS = 2;

export class Publisher extends Thread {
  static module = import.meta.url;
  integers: Deque;
  condition: Condition;

  constructor(integers: Deque, condition: Condition) {
    super();
    this.condition = condition;
    this.integers = integers;
  }

  override run(): void {
    for (let i = 0; i < count; i++) {
      const integer = randint(0, 1000);
      this.condition.acquire();
      print(`Condition Acquired by Publisher: ${this.name}`);
      this.integers.append(integer);
      print(`Publisher ${this.name} appending to array: ${integer}`);
      this.condition.notify();
      print(`Condition Released by Publisher: ${this.name}`);
      this.condition.release();
      nap(1);
    }
    this.condition.withLock(() => {
      for (let s = 0; s < SUBSCRIBERS; s++) this.integers.appendleft(null);
      this.condition.notifyAll();
    });
  }
}

export class Subscriber extends Thread {
  static module = import.meta.url;
  integers: Deque;
  condition: Condition;

  constructor(integers: Deque, condition: Condition) {
    super();
    this.integers = integers;
    this.condition = condition;
  }

  override run(): void {
    let integer: number | null = 0;
    while (integer !== null) {
      this.condition.acquire();
      print(`Condition Acquired by Consumer: ${this.name}`);
      for (;;) {
        if (this.integers.length > 0) {
          integer = this.integers.pop();
          if (integer !== null) print(`${integer} Popped from list by Consumer: ${this.name}`);
          break;
        }
        print(`Condition Wait by ${this.name}`);
        this.condition.wait();
      }
      print(`Consumer ${this.name} Releasing Condition`);
      this.condition.release();
    }
    print(`Consumer ${this.name} is done`);
  }
}

if (isMainThread) {
  const integers = new Deque();
  const condition = new Condition();

  // Our Publisher
  const pub1 = new Publisher(integers, condition);
  pub1.start();

  // Our Subscribers
  const sub1 = new Subscriber(integers, condition);
  const sub2 = new Subscriber(integers, condition);
  sub1.start();
  sub2.start();

  // Joining our Threads
  pub1.join();
  sub1.join();
  sub2.join();
}
