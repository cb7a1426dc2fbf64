/**
 * The shared state of a process queue, kept where every process holding the queue can reach
 * it through inherited descriptors:
 *
 * - the **header** (item count, unfinished tasks, numbers of waiting getters / putters /
 *   joiners, head and tail offsets) travels as a 40-byte message in a pipe, and *is* the
 *   mutex: whoever has read it holds the queue, and releases it by writing it back (pipe
 *   writes under PIPE_BUF are atomic, so a reader always gets the whole header). Taking and
 *   releasing the queue costs two system calls, with the state read and written on the way.
 * - the **items** are frames (u32 length, bytes) in an unlinked temporary file, from head to
 *   tail. A put appends at the tail, so it never waits for a reader (as Python's feeder thread
 *   makes put non-blocking, without a thread); the space is reused when the queue empties.
 *
 * Waiting works like a condition variable: a waiter registers in the header, drops the
 * mutex, and sleeps reading a token from a wake-up pipe; whoever changes the state writes one
 * token per waiter it wakes. Untimed waits sleep in the read, timed ones in the kernel's
 * readiness wait (os/readiness.ts).
 */
import { Empty, Full, ValueError } from '@threadkit/core';
import { timeouts } from '@threadkit/core/internal';
import { OSError } from '../errors.js';
import { closeQuietly, readFully, writeFully } from '../os/fd.js';
import { newFifo } from '../os/fifo.js';
import { anonymousFile, pread, pwrite, truncate } from '../os/shared-file.js';
import { type TokenFds, TokenPipe } from '../os/token-pipe.js';

const HEADER = {
  count: 0,
  unfinished: 4,
  getWaiters: 8,
  putWaiters: 12,
  joinWaiters: 16,
  head: 24,
  tail: 32,
} as const;
const HEADER_BYTES = 40;
const DATA_START = 0;
const COMPACT_AT = 1 << 20;
/** Bytes read at the head in one go: the length and, for small items, the item itself. */
const READ_AHEAD = 4096;

/** The descriptors of a queue, as they travel to a thread or child process. */
export interface QueueFds {
  file: number;
  /** The pipe holding the header (the queue's mutex). */
  mutex: TokenFds;
  notEmpty: TokenFds;
  notFull: TokenFds | null;
  allDone: TokenFds | null;
}

/** The cross-process state machine behind Queue, JoinableQueue and SimpleQueue. */
export class ProcessQueueCore {
  readonly fds: QueueFds;
  readonly maxsize: number;
  readonly #notEmpty: TokenPipe;
  readonly #notFull: TokenPipe | null;
  readonly #allDone: TokenPipe | null;
  readonly #h = Buffer.alloc(HEADER_BYTES);
  #held = false;
  readonly #ahead = Buffer.allocUnsafe(READ_AHEAD);

  constructor(fds: QueueFds, maxsize: number) {
    this.fds = fds;
    this.maxsize = maxsize;
    this.#notEmpty = new TokenPipe(fds.notEmpty);
    this.#notFull = fds.notFull ? new TokenPipe(fds.notFull) : null;
    this.#allDone = fds.allDone ? new TokenPipe(fds.allDone) : null;
  }

  /** Create the file and pipes of a new queue. */
  static create(maxsize: number, joinable: boolean): ProcessQueueCore {
    const file = anonymousFile();
    const mutex = newFifo();
    const core = new ProcessQueueCore(
      {
        file,
        mutex,
        notEmpty: newFifo(),
        notFull: maxsize > 0 ? newFifo() : null,
        allDone: joinable ? newFifo() : null,
      },
      maxsize,
    );
    core.#h.fill(0);
    core.#unlock(); // the first header goes into the pipe: the queue is free
    return core;
  }

  // --- header access (under the mutex) ---

  /** Take the queue: read the header out of its pipe (waits while another holds it). */
  #lock(): void {
    if (readFully(this.fds.mutex.r, this.#h, 0, HEADER_BYTES) !== HEADER_BYTES) {
      throw new OSError('queue state lost (its pipe was closed)');
    }
    this.#held = true;
  }

  /** Release the queue: write the (possibly updated) header back. */
  #unlock(): void {
    this.#held = false;
    writeFully(this.fds.mutex.w, this.#h);
  }

  /** Release the queue if this object holds it (after an error, it may not). */
  #release(): void {
    if (this.#held) this.#unlock();
  }

  #get(field: number): number {
    return field >= HEADER.head ? this.#h.readDoubleLE(field) : this.#h.readInt32LE(field);
  }

  #set(field: number, value: number): void {
    if (field >= HEADER.head) this.#h.writeDoubleLE(value, field);
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
    try {
      while (this.maxsize > 0 && this.#get(HEADER.count) >= this.maxsize) {
        if (deadline === null || performance.now() >= deadline) throw new Full();
        this.#add(HEADER.putWaiters, 1);
        this.#unlock();
        const woke = this.#notFull!.take(deadline);
        this.#lock();
        if (!woke) {
          this.#withdraw(this.#notFull!, HEADER.putWaiters);
        }
      }
      this.#append(bytes);
    } finally {
      this.#release();
    }
  }

  /** Async twin of {@link put}. */
  async putAsync(bytes: Uint8Array, deadline: number | null, signal?: AbortSignal): Promise<void> {
    this.#lock();
    try {
      while (this.maxsize > 0 && this.#get(HEADER.count) >= this.maxsize) {
        if (deadline === null || performance.now() >= deadline) throw new Full();
        this.#add(HEADER.putWaiters, 1);
        this.#unlock();
        let woke = false;
        let aborted = true;
        try {
          woke = await this.#notFull!.takeAsync(deadline, signal);
          aborted = false;
        } finally {
          this.#lock();
          if (!woke) {
            const took = this.#withdraw(this.#notFull!, HEADER.putWaiters);
            if (aborted && took)
              this.#passOn(
                this.#notFull!,
                HEADER.putWaiters,
                this.#get(HEADER.count) < this.maxsize,
              );
          }
        }
      }
      this.#append(bytes);
    } finally {
      this.#release();
    }
  }

  #append(bytes: Uint8Array): void {
    const tail = this.#get(HEADER.tail);
    const frame = Buffer.allocUnsafe(4 + bytes.length);
    frame.writeUInt32LE(bytes.length, 0);
    frame.set(bytes, 4);
    pwrite(this.fds.file, frame, frame.length, tail);
    this.#set(HEADER.tail, tail + 4 + bytes.length);
    this.#add(HEADER.count, 1);
    this.#add(HEADER.unfinished, 1);
    if (this.#get(HEADER.getWaiters) > 0) {
      this.#add(HEADER.getWaiters, -1);
      this.#notEmpty.give(1);
    }
  }

  /** Remove the oldest item; `deadline` null = non-blocking. Throws Empty. */
  get(deadline: number | null): Buffer {
    this.#lock();
    try {
      while (this.#get(HEADER.count) === 0) {
        if (deadline === null || performance.now() >= deadline) throw new Empty();
        this.#add(HEADER.getWaiters, 1);
        this.#unlock();
        const woke = this.#notEmpty.take(deadline);
        this.#lock();
        if (!woke) {
          this.#withdraw(this.#notEmpty, HEADER.getWaiters);
        }
      }
      return this.#take();
    } finally {
      this.#release();
    }
  }

  /** Async twin of {@link get}. */
  async getAsync(deadline: number | null, signal?: AbortSignal): Promise<Buffer> {
    this.#lock();
    try {
      while (this.#get(HEADER.count) === 0) {
        if (deadline === null || performance.now() >= deadline) throw new Empty();
        this.#add(HEADER.getWaiters, 1);
        this.#unlock();
        let woke = false;
        let aborted = true;
        try {
          woke = await this.#notEmpty.takeAsync(deadline, signal);
          aborted = false;
        } finally {
          this.#lock();
          if (!woke) {
            const took = this.#withdraw(this.#notEmpty, HEADER.getWaiters);
            if (aborted && took)
              this.#passOn(this.#notEmpty, HEADER.getWaiters, this.#get(HEADER.count) > 0);
          }
        }
      }
      return this.#take();
    } finally {
      this.#release();
    }
  }

  #take(): Buffer {
    const file = this.fds.file;
    let head = this.#get(HEADER.head);
    const tail = this.#get(HEADER.tail);
    // One read for the length and (usually) the item.
    const first = Math.min(READ_AHEAD, tail - head);
    pread(file, this.#ahead, first, head);
    const len = this.#ahead.readUInt32LE(0);
    const out = Buffer.allocUnsafe(len);
    const have = Math.min(len, first - 4);
    this.#ahead.copy(out, 0, 4, 4 + have);
    if (have < len) pread(file, out.subarray(have), len - have, head + 4 + have);
    head += 4 + len;
    this.#add(HEADER.count, -1);
    if (head >= tail) {
      // Empty: start again at the front (the file keeps its size unless it grew large).
      this.#set(HEADER.head, DATA_START);
      this.#set(HEADER.tail, DATA_START);
      if (tail > COMPACT_AT) truncate(file, DATA_START);
    } else if (head - DATA_START > COMPACT_AT && head - DATA_START > tail - head) {
      this.#compact(head, tail);
    } else {
      this.#set(HEADER.head, head);
    }
    if (this.#notFull && this.#get(HEADER.putWaiters) > 0) {
      this.#add(HEADER.putWaiters, -1);
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
    this.#set(HEADER.head, DATA_START);
    this.#set(HEADER.tail, to);
    truncate(file, to);
  }

  /** Approximate number of items. */
  qsize(): number {
    this.#lock();
    try {
      return this.#get(HEADER.count);
    } finally {
      this.#release();
    }
  }

  /** Items put and not yet marked done. */
  unfinishedTasks(): number {
    this.#lock();
    try {
      return this.#get(HEADER.unfinished);
    } finally {
      this.#release();
    }
  }

  /** One item was processed (`task_done`). */
  taskDone(): void {
    this.#lock();
    try {
      const left = this.#get(HEADER.unfinished);
      if (left <= 0) throw new ValueError('task_done() called too many times');
      this.#set(HEADER.unfinished, left - 1);
      if (left === 1) {
        const joiners = this.#get(HEADER.joinWaiters);
        if (joiners > 0) {
          this.#set(HEADER.joinWaiters, 0);
          this.#allDone!.give(joiners);
        }
      }
    } finally {
      this.#release();
    }
  }

  /** Block until every item put has been marked done. */
  join(): void {
    this.#lock();
    try {
      while (this.#get(HEADER.unfinished) > 0) {
        this.#add(HEADER.joinWaiters, 1);
        this.#unlock();
        this.#allDone!.take(Number.POSITIVE_INFINITY);
        this.#lock();
      }
    } finally {
      this.#release();
    }
  }

  /** Async twin of {@link join}. */
  async joinAsync(signal?: AbortSignal): Promise<void> {
    this.#lock();
    try {
      while (this.#get(HEADER.unfinished) > 0) {
        this.#add(HEADER.joinWaiters, 1);
        this.#unlock();
        let woke = false;
        try {
          woke = await this.#allDone!.takeAsync(Number.POSITIVE_INFINITY, signal);
        } finally {
          this.#lock();
          if (!woke) {
            this.#withdraw(this.#allDone!, HEADER.joinWaiters);
          }
        }
      }
    } finally {
      this.#release();
    }
  }

  /** Close this process's descriptors of the queue. */
  close(): void {
    closeQuietly(this.fds.mutex.r);
    closeQuietly(this.fds.mutex.w);
    for (const pipe of [this.#notEmpty, this.#notFull, this.#allDone]) {
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
