/**
 * Original: Chapter 04/semaphores.py
 * Shows: a Semaphore() (one permit: a mutex) lets four ticket sellers share 200 tickets.
 *
 * TicketSeller is a Thread subclass, as in the book. The book's global ticket count is a
 * shared Value here (threads share no JavaScript variables). A seller's `ticketsSold` lives
 * in the thread running it: the worker rebuilds the object from a copy of its fields, so
 * the main thread's object does not see it change; each seller prints its own total.
 */
import { isMainThread } from 'node:worker_threads';
import { print, Semaphore, Thread, Value } from '@threadkit/core';
import { nap, randint } from '../lib/cli.js';

export class TicketSeller extends Thread {
  static module = import.meta.url;
  ticketsSold = 0;
  sem: Semaphore;
  tickets: Value;

  constructor(semaphore: Semaphore, tickets: Value) {
    super();
    this.sem = semaphore;
    this.tickets = tickets;
    print('Ticket Seller Started Work');
  }

  override run(): void {
    let running = true;
    while (running) {
      this.randomDelay();

      this.sem.acquire();
      if (this.tickets.value <= 0) {
        running = false;
      } else {
        this.ticketsSold = this.ticketsSold + 1;
        this.tickets.value = this.tickets.value - 1;
        print(`${this.name} Sold One (${this.tickets.value} left)`);
      }
      this.sem.release();
    }
    print(`Ticket Seller ${this.name} Sold ${this.ticketsSold} tickets in total`);
  }

  randomDelay(): void {
    nap(randint(0, 4) / 4);
  }
}

if (isMainThread) {
  // our semaphore primitive: one permit, so one seller at a time touches the tickets
  const semaphore = new Semaphore();
  // our ticket allocation
  const ticketsAvailable = Value('i', 200);

  const sellers: TicketSeller[] = [];
  for (let i = 0; i < 4; i++) {
    const seller = new TicketSeller(semaphore, ticketsAvailable);
    seller.start();
    sellers.push(seller);
  }
  for (const seller of sellers) seller.join();
  print(`All sellers done: ${ticketsAvailable.value} tickets left`);
}
