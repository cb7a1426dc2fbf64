/**
 * Original: Chapter 04/boundedSemaphores.py
 * Shows: BoundedSemaphore(2): two of four ticket sellers at a time; one release() too many fails.
 *
 * The book's version has a bug: with two permits, two sellers can update the ticket count at
 * the same moment and sell the same ticket. The port keeps two permits (two tills open) and
 * guards the count itself with its lock (`getLock()` of the shared Value), so exactly 200
 * tickets are sold. Each sale also says how many sellers are at the tills: never more than 2.
 * At the end, one release() too many raises ValueError: that is what "bounded" means.
 */
import { isMainThread } from 'node:worker_threads';
import { BoundedSemaphore, print, Thread, Value } from '@threadkit/core';
import { nap, randint } from '../lib/cli.js';

export class TicketSeller extends Thread {
  static module = import.meta.url;
  ticketsSold = 0;
  sem: BoundedSemaphore;
  tickets: Value;
  atTills: Value;

  constructor(semaphore: BoundedSemaphore, tickets: Value, atTills: Value) {
    super();
    this.sem = semaphore;
    this.tickets = tickets;
    this.atTills = atTills;
    print('Ticket Seller Started Work');
  }

  override run(): void {
    let running = true;
    while (running) {
      this.randomDelay();

      this.sem.acquire();
      const serving = this.atTills.getLock().withLock(() => ++this.atTills.value);
      // two sellers may be here at once: the ticket count needs its own lock
      const left = this.tickets.getLock().withLock(() => {
        if (this.tickets.value <= 0) return -1;
        this.tickets.value -= 1;
        return this.tickets.value;
      });
      if (left < 0) {
        running = false;
      } else {
        this.ticketsSold = this.ticketsSold + 1;
        print(`${this.name} Sold One (${left} left, ${serving} sellers at the tills)`);
      }
      this.atTills.getLock().withLock(() => --this.atTills.value);
      this.sem.release();
    }
    print(`Ticket Seller ${this.name} Sold ${this.ticketsSold} tickets in total`);
  }

  randomDelay(): void {
    nap(randint(0, 4) / 4);
  }
}

if (isMainThread) {
  // our semaphore primitive: two permits, two tills
  const semaphore = new BoundedSemaphore(2);
  // our ticket allocation, and how many sellers are at the tills right now
  const ticketsAvailable = Value('i', 200);
  const atTills = Value('i', 0);

  const sellers: TicketSeller[] = [];
  for (let i = 0; i < 4; i++) {
    const seller = new TicketSeller(semaphore, ticketsAvailable, atTills);
    seller.start();
    sellers.push(seller);
  }
  for (const seller of sellers) seller.join();
  print(`All sellers done: ${ticketsAvailable.value} tickets left`);

  try {
    semaphore.release();
  } catch (err) {
    print(`One release() too many: ${(err as Error).name}: ${(err as Error).message}`);
  }
}
