/**
 * The program of a pool process (internal/process-slot.ts starts it): read batches of tasks
 * from the channel on descriptor 3, run them one after another with {@link TaskRunner}, and
 * write their outcomes back in batches, in the order the tasks came. Values cross by v8
 * serialization, so a result is checked here and one that cannot cross fails its own future.
 * End of file on the channel means the pool is done with this process (or its owner is
 * gone): it exits at once, quietly.
 */
import { writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { deserialize, serialize } from 'node:v8';
import { FrameReader, frameHeader } from '../internal/frames.js';
import type { Outcome, TaskMsg } from '../internal/wire.js';
import { TaskRunner } from './runner.js';

const CHANNEL_FD = 3;
/**
 * Outcomes wait for the end of the batch of tasks at hand (one write for them all), but
 * never longer than this: a long batch reports as it goes, a slow task at its end.
 */
const FLUSH_MS = 0.5;

function checked(value: unknown, path: string): unknown {
  try {
    serialize(value);
  } catch (err) {
    throw new TypeError(`${path} cannot be sent to the parent process: ${(err as Error).message}`);
  }
  return value;
}

const runner = new TaskRunner({ decode: (value) => value, encode: checked });
// Read through a socket (the event loop wakes us for tasks); written with writeSync only.
const channel = new Socket({ fd: CHANNEL_FD, readable: true, writable: true });
const reader = new FrameReader();
const napWord = new Int32Array(new SharedArrayBuffer(4));
let queue: TaskMsg[] = [];
let head = 0;
let outbox: Outcome[] = [];
let draining = false;

/**
 * Write all of `bytes` now. Synchronous, so an outcome is out of this process before the
 * next task starts, and the outcomes held when a task calls `process.exit()` still go (the
 * 'exit' hook below). A full channel (the owner is slow to read) is waited out.
 */
function writeAll(bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += writeSync(CHANNEL_FD, bytes, off, bytes.length - off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(napWord, 0, 0, 1);
    }
  }
}

function flush(): void {
  if (outbox.length === 0) return;
  const body = serialize(outbox);
  outbox = [];
  try {
    writeAll(Buffer.concat([frameHeader(body.length), body]));
  } catch {
    process.exit(0); // the owner is gone: nobody wants the outcomes
  }
}

/** Run the queued tasks in order (async ones to their end before the next starts). */
async function drain(): Promise<void> {
  draining = true;
  let since = performance.now();
  while (head < queue.length) {
    const task = queue[head];
    queue[head++] = undefined as unknown as TaskMsg;
    outbox.push(await runner.run(task));
    const now = performance.now();
    if (head === queue.length || now - since >= FLUSH_MS) {
      flush();
      since = now;
    }
  }
  queue = [];
  head = 0;
  draining = false;
}

channel.on('data', (chunk: Buffer) => {
  reader.feed(chunk, (body) => {
    for (const task of deserialize(body) as TaskMsg[]) queue.push(task);
  });
  if (!draining) void drain();
});
// The owner closed the channel (the pool is done with us) or died: nothing more will come.
channel.on('end', () => process.exit(0));
channel.on('error', () => process.exit(0));
// A task that ends the process (process.exit(), an uncaught error): the outcomes of the tasks
// before it go first, so the owner knows exactly which task took the process down.
process.on('exit', flush);
