/**
 * A comlink `Endpoint` over a Node stream socket (comlink's `nodeEndpoint` pattern, for a
 * socket instead of a MessagePort): messages are frames (u32 length + bytes: JSON or v8
 * serialization, see internal/message.ts),
 * delivered to listeners as `{ data }` events. Nothing can be transferred (a socket carries
 * no MessagePorts), so comlink's `proxy()`-marked values are rejected.
 *
 * On the client side the endpoint counts requests in flight: the socket keeps the process
 * alive only while a reply is awaited, and `idle()` lets a child wait for its last requests
 * (an attribute assignment is fire-and-forget) before it exits.
 */
import type { Socket } from 'node:net';
import { DataCloneError } from '@threadkit/core';
import { decodeMessage, encodeMessage } from '../internal/message.js';

/** What comlink passes to `addEventListener` (the DOM's EventListenerOrEventListenerObject). */
type Listener = ((ev: { data: any }) => void) | { handleEvent(ev: { data: any }): void };

/** comlink Endpoint over a connected socket. */
export class SocketEndpoint {
  readonly #socket: Socket;
  readonly #listeners = new Set<Listener>();
  readonly #client: boolean;
  #buf: Buffer = Buffer.alloc(0);
  #inFlight = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(socket: Socket, client: boolean) {
    this.#socket = socket;
    this.#client = client;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    if (client) socket.unref();
  }

  postMessage(message: any, transfer?: unknown[]): void {
    if (transfer && transfer.length > 0) {
      throw new DataCloneError(
        'manager proxies cannot transfer objects (comlink.proxy/transfer is not supported)',
      );
    }
    const body = encodeMessage(message);
    const frame = Buffer.allocUnsafe(4 + body.length);
    frame.writeUInt32BE(body.length, 0);
    body.copy(frame, 4);
    if (this.#client && message?.type !== undefined) {
      if (this.#inFlight++ === 0) this.#socket.ref();
    }
    this.#socket.write(frame);
  }

  addEventListener(_type: string, listener: Listener): void {
    this.#listeners.add(listener);
  }

  removeEventListener(_type: string, listener: Listener): void {
    this.#listeners.delete(listener);
  }

  #onData(chunk: Buffer): void {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk]);
    while (this.#buf.length >= 4) {
      const len = this.#buf.readUInt32BE(0);
      if (this.#buf.length < 4 + len) break;
      const data = decodeMessage(this.#buf.subarray(4, 4 + len)) as any;
      this.#buf = this.#buf.subarray(4 + len);
      if (this.#client && data?.type !== undefined && data?.id !== undefined) this.#settled();
      const event = { data };
      for (const l of this.#listeners) {
        if (typeof l === 'function') l(event);
        else l.handleEvent(event);
      }
    }
  }

  #settled(): void {
    if (--this.#inFlight > 0) return;
    this.#inFlight = 0;
    this.#socket.unref();
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Forget every request in flight (the connection is gone: no reply will come). */
  abandon(): void {
    this.#inFlight = 1;
    this.#settled();
  }

  /** Resolves when no request is waiting for a reply. */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }
}
