/**
 * The shared state of a process queue, in a file that every process holding the queue has
 * open (inherited descriptor), guarded by a cross-process mutex (a token pipe).
 *
 * File layout: a 64-byte header — item count, unfinished tasks, the numbers of waiting
 * getters / putters / joiners, head and tail offsets — then the items as frames (u32 length,
 * bytes) from head to tail. A put appends at the tail, so it never waits for a reader (as
 * Python's feeder thread makes put non-blocking, without a thread); the file shrinks back
 * when the queue empties.
 *
 * Waiting works like a condition variable: a waiter registers in the header, drops the
 * mutex, and sleeps reading a token from a wake-up pipe; whoever changes the state writes one
 * token per waiter it wakes. Untimed waits sleep in the kernel; timed ones poll briefly.
 */
import { Empty, Full, ValueError } from '@threadkit/core';
import { timeouts } from '@threadkit/core/internal';
import { closeQuietly } from '../os/fd.js';
import { newFifo } from '../os/fifo.js';
import { anonymousFile, pread, pwrite, truncate } from '../os/shared-file.js';
import { type TokenFds, TokenPipe } from '../os/token-pipe.js';

const H = {
  count: 0,
  unfinished: 4,
  getWaiters: 8,
  putWaiters: 12,
  joinWaiters: 16,
  head: 24,
  tail: 32,
} as const;
const HEADER_BYTES = 40;
const DATA_START = 64;
const COMPACT_AT = 1 << 20;

/** The descriptors of a queue, as they travel to a thread or child process. */
export interface QueueFds {
  file: number;
  mutex: TokenFds;
  notEmpty: TokenFds;
  notFull: TokenFds | null;
  allDone: TokenFds | null;
}

/** The cross-process state machine behind Queue, JoinableQueue and SimpleQueue. */
export class QueueEngine {
  readonly fds: QueueFds;
  readonly maxsize: number;
  readonly #mutex: TokenPipe;
  readonly #notEmpty: TokenPipe;
  readonly #notFull: TokenPipe | null;
  readonly #allDone: TokenPipe | null;
  readonly #h = Buffer.alloc(HEADER_BYTES);
  readonly #len = Buffer.alloc(4);

  constructor(fds: QueueFds, maxsize: number) {
    this.fds = fds;
    this.maxsize = maxsize;
    this.#mutex = new TokenPipe(fds.mutex);
    this.#notEmpty = new TokenPipe(fds.notEmpty);
    this.#notFull = fds.notFull ? new TokenPipe(fds.notFull) : null;
    this.#allDone = fds.allDone ? new TokenPipe(fds.allDone) : null;
  }

  /** Create the file and pipes of a new queue. */
  static create(maxsize: number, joinable: boolean): QueueEngine {
    const file = anonymousFile();
    const header = Buffer.alloc(DATA_START);
    header.writeDoubleLE(DATA_START, H.head);
    header.writeDoubleLE(DATA_START, H.tail);
    pwrite(file, header, DATA_START, 0);
    const mutex = newFifo();
    const engine = new QueueEngine(
      {
        file,
        mutex,
        notEmpty: newFifo(),
        notFull: maxsize > 0 ? newFifo() : null,
        allDone: joinable ? newFifo() : null,
      },
      maxsize,
    );
    engine.#mutex.give(1);
    return engine;
  }

  // --- header access (under the mutex) ---

  #lock(): void {
    this.#mutex.take(Number.POSITIVE_INFINITY);
    pread(this.fds.file, this.#h, HEADER_BYTES, 0);
  }

  #unlock(dirty: boolean): void {
    if (dirty) pwrite(this.fds.file, this.#h, HEADER_BYTES, 0);
    this.#mutex.give(1);
  }

  #get(field: number): number {
    return field >= H.head ? this.#h.readDoubleLE(field) : this.#h.readInt32LE(field);
  }

  #set(field: number, value: number): void {
    if (field >= H.head) this.#h.writeDoubleLE(value, field);
    else this.#h.writeInt32LE(value, field);
  }

  #add(field: number, delta: number): void {
    this.#set(field, this.#get(field) + delta);
  }

  /**
   * After a timed wait ended without a token: take one if a waker wrote it meanwhile (then we
   * were woken after all), else withdraw our registration. Runs under the mutex.
   */
  #withdraw(pipe: TokenPipe, field: number): boolean {
    if (pipe.tryTake()) return true;
    this.#add(field, -1);
    return false;
  }

  /**
   * An async waiter that was woken but leaves (aborted) passes its wake-up on, so another
   * waiter is not left sleeping while the queue could serve it. Runs under the mutex.
   */
  #passOn(pipe: TokenPipe, field: number, ready: boolean): void {
    if (ready && this.#get(field) > 0) {
      this.#add(field, -1);
      pipe.give(1);
    }
  }

  // --- operations ---

  /** Append `bytes`; `deadline` null = non-blocking. Throws Full. */
  put(bytes: Uint8Array, deadline: number | null): void {
    this.#lock();
    let dirty = false;
    try {
      while (this.maxsize > 0 && this.#get(H.count) >= this.maxsize) {
        if (deadline === null || performance.now() >= deadline) throw new Full();
        this.#add(H.putWaiters, 1);
        this.#unlock(true);
        const woke = this.#notFull!.take(deadline);
        this.#lock();
        if (!woke) {
          this.#withdraw(this.#notFull!, H.putWaiters);
          dirty = true;
        }
      }
      this.#append(bytes);
      dirty = true;
    } finally {
      this.#unlock(dirty);
    }
  }

  /** Async twin of {@link put}. */
  async putAsync(bytes: Uint8Array, deadline: number | null, signal?: AbortSignal): Promise<void> {
    this.#lock();
    let dirty = false;
    try {
      while (this.maxsize > 0 && this.#get(H.count) >= this.maxsize) {
        if (deadline === null || performance.now() >= deadline) throw new Full();
        this.#add(H.putWaiters, 1);
        this.#unlock(true);
        let woke = false;
        let aborted = true;
        try {
          woke = await this.#notFull!.takeAsync(deadline, signal);
          aborted = false;
        } finally {
          this.#lock();
          if (!woke) {
            const took = this.#withdraw(this.#notFull!, H.putWaiters);
            if (aborted && took)
              this.#passOn(this.#notFull!, H.putWaiters, this.#get(H.count) < this.maxsize);
            dirty = true;
          }
        }
      }
      this.#append(bytes);
      dirty = true;
    } finally {
      this.#unlock(dirty);
    }
  }

  #append(bytes: Uint8Array): void {
    const tail = this.#get(H.tail);
    this.#len.writeUInt32LE(bytes.length, 0);
    pwrite(this.fds.file, this.#len, 4, tail);
    pwrite(this.fds.file, bytes, bytes.length, tail + 4);
    this.#set(H.tail, tail + 4 + bytes.length);
    this.#add(H.count, 1);
    this.#add(H.unfinished, 1);
    if (this.#get(H.getWaiters) > 0) {
      this.#add(H.getWaiters, -1);
      this.#notEmpty.give(1);
    }
  }

  /** Remove the oldest item; `deadline` null = non-blocking. Throws Empty. */
  get(deadline: number | null): Buffer {
    this.#lock();
    let dirty = false;
    try {
      while (this.#get(H.count) === 0) {
        if (deadline === null || performance.now() >= deadline) throw new Empty();
        this.#add(H.getWaiters, 1);
        this.#unlock(true);
        const woke = this.#notEmpty.take(deadline);
        this.#lock();
        if (!woke) {
          this.#withdraw(this.#notEmpty, H.getWaiters);
          dirty = true;
        }
      }
      dirty = true;
      return this.#take();
    } finally {
      this.#unlock(dirty);
    }
  }

  /** Async twin of {@link get}. */
  async getAsync(deadline: number | null, signal?: AbortSignal): Promise<Buffer> {
    this.#lock();
    let dirty = false;
    try {
      while (this.#get(H.count) === 0) {
        if (deadline === null || performance.now() >= deadline) throw new Empty();
        this.#add(H.getWaiters, 1);
        this.#unlock(true);
        let woke = false;
        let aborted = true;
        try {
          woke = await this.#notEmpty.takeAsync(deadline, signal);
          aborted = false;
        } finally {
          this.#lock();
          if (!woke) {
            const took = this.#withdraw(this.#notEmpty, H.getWaiters);
            if (aborted && took) this.#passOn(this.#notEmpty, H.getWaiters, this.#get(H.count) > 0);
            dirty = true;
          }
        }
      }
      dirty = true;
      return this.#take();
    } finally {
      this.#unlock(dirty);
    }
  }

  #take(): Buffer {
    const file = this.fds.file;
    let head = this.#get(H.head);
    const tail = this.#get(H.tail);
    pread(file, this.#len, 4, head);
    const len = this.#len.readUInt32LE(0);
    const out = Buffer.allocUnsafe(len);
    if (len > 0) pread(file, out, len, head + 4);
    head += 4 + len;
    this.#add(H.count, -1);
    if (head >= tail) {
      this.#set(H.head, DATA_START);
      this.#set(H.tail, DATA_START);
      truncate(file, DATA_START);
    } else if (head - DATA_START > COMPACT_AT && head - DATA_START > tail - head) {
      this.#compact(head, tail);
    } else {
      this.#set(H.head, head);
    }
    if (this.#notFull && this.#get(H.putWaiters) > 0) {
      this.#add(H.putWaiters, -1);
      this.#notFull.give(1);
    }
    return out;
  }

  /** Move the live items to the front of the file (a queue that never empties would grow). */
  #compact(head: number, tail: number): void {
    const file = this.fds.file;
    const chunk = Buffer.allocUnsafe(Math.min(COMPACT_AT, tail - head));
    let from = head;
    let to = DATA_START;
    while (from < tail) {
      const n = Math.min(chunk.length, tail - from);
      pread(file, chunk, n, from);
      pwrite(file, chunk, n, to);
      from += n;
      to += n;
    }
    this.#set(H.head, DATA_START);
    this.#set(H.tail, to);
    truncate(file, to);
  }

  /** Approximate number of items. */
  qsize(): number {
    this.#lock();
    try {
      return this.#get(H.count);
    } finally {
      this.#unlock(false);
    }
  }

  /** Items put and not yet marked done. */
  unfinishedTasks(): number {
    this.#lock();
    try {
      return this.#get(H.unfinished);
    } finally {
      this.#unlock(false);
    }
  }

  /** One item was processed (`task_done`). */
  taskDone(): void {
    this.#lock();
    let dirty = false;
    try {
      const left = this.#get(H.unfinished);
      if (left <= 0) throw new ValueError('task_done() called too many times');
      this.#set(H.unfinished, left - 1);
      if (left === 1) {
        const joiners = this.#get(H.joinWaiters);
        if (joiners > 0) {
          this.#set(H.joinWaiters, 0);
          this.#allDone!.give(joiners);
        }
      }
      dirty = true;
    } finally {
      this.#unlock(dirty);
    }
  }

  /** Block until every item put has been marked done. */
  join(): void {
    this.#lock();
    try {
      while (this.#get(H.unfinished) > 0) {
        this.#add(H.joinWaiters, 1);
        this.#unlock(true);
        this.#allDone!.take(Number.POSITIVE_INFINITY);
        this.#lock();
      }
    } finally {
      this.#unlock(false);
    }
  }

  /** Async twin of {@link join}. */
  async joinAsync(signal?: AbortSignal): Promise<void> {
    this.#lock();
    try {
      while (this.#get(H.unfinished) > 0) {
        this.#add(H.joinWaiters, 1);
        this.#unlock(true);
        let woke = false;
        try {
          woke = await this.#allDone!.takeAsync(Number.POSITIVE_INFINITY, signal);
        } finally {
          this.#lock();
          if (!woke) {
            this.#withdraw(this.#allDone!, H.joinWaiters);
            pwrite(this.fds.file, this.#h, HEADER_BYTES, 0);
          }
        }
      }
    } finally {
      this.#unlock(false);
    }
  }

  /** Close this process's descriptors of the queue. */
  close(): void {
    for (const pipe of [this.#mutex, this.#notEmpty, this.#notFull, this.#allDone]) {
      if (!pipe) continue;
      pipe.dispose();
      if (pipe.privateFd >= 0) closeQuietly(pipe.privateFd);
      closeQuietly(pipe.r);
      closeQuietly(pipe.w);
    }
    closeQuietly(this.fds.file);
  }
}

/** Python's timeout rules for a blocking get/put (null deadline = non-blocking). */
export function deadlineFor(
  block: boolean,
  timeout: number | null | undefined,
  checkNegative = true,
): number | null {
  if (!block) return null;
  if (!checkNegative) return timeouts.waitDeadline(timeout);
  return timeouts.queueDeadline(timeout);
}
