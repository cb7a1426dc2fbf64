/**
 * Client side of a manager: one socket per (thread, manager) and the proxies handed to users.
 * A proxy is a handle `(address, id, typeid)`: it crosses to threads and child processes as
 * that data and reconnects there. Every call returns a Promise, because the reply comes back
 * through the event loop of the calling thread.
 *
 * A call is one request frame written to the socket and one reply frame read from it (see
 * wire.ts); replies are read into one reused buffer (the socket's `onread` option), so the
 * stream machinery allocates nothing per reply.
 */
import { createConnection, type NetConnectOpts, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { EOFError } from '@threadkit/core';
import {
  registerSharedType,
  SHARED,
  type SharedDescriptor,
  stateSlot,
} from '@threadkit/core/internal';
import { OSError } from '../errors.js';
import { onFlush } from '../internal/hooks.js';
import { checkCrossProcess, PROCESS_SHARED, SHARED_NAME } from '../internal/transfer.js';
import { errorFromWire } from './errors.js';
import { FrameReader, Op, type Reply, Status, sendFrame } from './wire.js';

interface Waiting {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** A live connection to a manager from this thread. */
export class ManagerConnection {
  readonly #socket: Socket;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 0;
  #lost: Error | null = null;
  #idleWaiters: (() => void)[] = [];

  constructor(address: string) {
    const reader = new FrameReader((m) => this.#onReply(m as Reply));
    const buffer = Buffer.allocUnsafe(64 * 1024);
    // `onread`: libuv reads into our buffer and calls us directly (no stream buffering).
    this.#socket = createConnection({
      path: address,
      onread: { buffer, callback: (n: number) => void reader.push(buffer.subarray(0, n)) },
    } as unknown as NetConnectOpts);
    this.#socket.unref(); // the socket keeps the process alive only while a reply is awaited
    // Once connected, losing the manager is an end of file (as Python's EOFError on recv);
    // before that, it was never reachable.
    let connected = false;
    this.#socket.once('connect', () => {
      connected = true;
    });
    this.#socket.on('error', (err) =>
      this.#end(
        connected
          ? new EOFError('the manager process has gone away')
          : new OSError(`cannot reach the manager at ${address}: ${err.message}`),
      ),
    );
    this.#socket.on('close', () => this.#end(new EOFError('the manager process has gone away')));
  }

  /** True once the connection is lost (calls then fail at once). */
  get dead(): boolean {
    return this.#lost !== null;
  }

  /** Send a request; the promise settles with the reply. */
  request(op: Op, target: number | string, path: string[], args: unknown[]): Promise<any> {
    if (this.#lost) return Promise.reject(this.#lost);
    const id = ++this.#nextId;
    return new Promise((resolve, reject) => {
      // Sent first: if it cannot be encoded, the promise rejects and nothing waits. The reply
      // cannot arrive before the event loop runs again.
      sendFrame(this.#socket, [id, op, target, path, args]);
      if (this.#waiting.size === 0) this.#socket.ref();
      this.#waiting.set(id, { resolve, reject });
    });
  }

  #onReply(reply: Reply): void {
    const id = reply[0];
    const w = this.#waiting.get(id);
    if (!w) return;
    this.#waiting.delete(id);
    if (reply[1] === Status.Ok) w.resolve(reply[2]);
    else w.reject(errorFromWire(reply[1], reply[2]));
    if (this.#waiting.size === 0) this.#settled();
  }

  #settled(): void {
    this.#socket.unref();
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  #end(err: Error): void {
    if (this.#lost) return;
    this.#lost = err;
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const w of waiting) w.reject(err);
    this.#settled();
  }

  /** Resolves when no request is waiting for a reply. */
  idle(): Promise<void> {
    if (this.#waiting.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }
}

const conns = stateSlot('mp.managerConnections', () => new Map<string, ManagerConnection>());
const flushing = stateSlot('mp.managerFlush', () => ({ installed: false }));

/** This thread's connection to the manager at `address` (made on first use). */
export function connectionTo(address: string): ManagerConnection {
  const existing = conns.get(address);
  if (existing && !existing.dead) return existing;
  const conn = new ManagerConnection(address);
  conns.set(address, conn);
  if (!flushing.installed) {
    flushing.installed = true;
    onFlush(async () => {
      await Promise.all([...conns.values()].map((c) => c.idle()));
    });
  }
  return conn;
}

/** What identifies a proxy's referent. */
export interface ProxyInfo {
  address: string;
  id: number;
  typeid: string;
}

const PROXY_NAMES: Record<string, string> = {
  Namespace: 'NamespaceProxy',
  dict: 'DictProxy',
  list: 'ListProxy',
  Lock: 'AcquirerProxy',
  RLock: 'AcquirerProxy',
  Semaphore: 'AcquirerProxy',
  BoundedSemaphore: 'AcquirerProxy',
  Condition: 'ConditionProxy',
  Event: 'EventProxy',
  Value: 'ValueProxy',
  Array: 'ArrayProxy',
};

function proxyName(typeid: string): string {
  return PROXY_NAMES[typeid] ?? `AutoProxy[${typeid}]`;
}

function describe(info: ProxyInfo): string {
  return `<${proxyName(info.typeid)} object, typeid '${info.typeid}' at ${info.address}#${info.id}>`;
}

/** A path below a proxy (`proxy.method`, `ns.attr`): callable, and awaitable for its value. */
function member(conn: ManagerConnection, info: ProxyInfo, path: string[]): any {
  const label = `${proxyName(info.typeid)}.${path.join('.')}`;
  const children = new Map<string, any>();
  return new Proxy(function member() {}, {
    get(_t, prop) {
      if (prop === 'then') {
        // `await proxy.attr`: one request; its promise settles the await.
        return (onValue?: (v: unknown) => unknown, onError?: (e: unknown) => unknown) =>
          conn.request(Op.Get, info.id, path, []).then(onValue, onError);
      }
      if (typeof prop === 'symbol') return undefined;
      let child = children.get(prop);
      if (!child) children.set(prop, (child = member(conn, info, [...path, prop])));
      return child;
    },
    apply(_t, _this, args: unknown[]) {
      try {
        checkCrossProcess(args, `${label}() arguments`, false);
      } catch (err) {
        return Promise.reject(err);
      }
      return conn.request(Op.Apply, info.id, path, args);
    },
  });
}

/**
 * A proxy for object `info.id` of a manager: `await proxy.method(...args)` calls it there,
 * `await proxy.attr` reads an attribute, `proxy.attr = v` sets one (sent at once; a child
 * process waits for such requests before it exits). Not itself awaitable.
 */
export function makeProxy(info: ProxyInfo): any {
  const conn = connectionTo(info.address);
  const members = new Map<string, any>();
  return new Proxy(function proxy() {}, {
    get(_t, prop) {
      switch (prop) {
        case SHARED:
          return (): SharedDescriptor => ({
            type: 'mp.ManagerProxy',
            words: [],
            extra: { ...info },
          });
        case PROCESS_SHARED:
          return true;
        case SHARED_NAME:
          return proxyName(info.typeid);
        case 'then':
          return undefined;
        case 'toString':
        case Symbol.toPrimitive:
        case inspect.custom:
          return () => describe(info);
        case '_getvalue':
          return () => conn.request(Op.Value, info.id, [], []);
        case '_release':
          return () => conn.request(Op.Release, info.id, [], []);
        case '_typeid':
          return info.typeid;
        case '_id':
          return info.id;
        case '_address':
          return info.address;
      }
      if (typeof prop === 'symbol') return undefined;
      let m = members.get(prop);
      if (!m) members.set(prop, (m = member(conn, info, [prop])));
      return m;
    },
    set(_t, prop, value) {
      if (typeof prop === 'symbol') return false;
      checkCrossProcess(value, `${proxyName(info.typeid)}.${prop}`, false);
      conn.request(Op.Set, info.id, [prop], [value]).catch(() => {});
      return true;
    },
    apply() {
      throw new TypeError(`${proxyName(info.typeid)} is not callable`);
    },
  });
}

registerSharedType('mp.ManagerProxy', (d) => makeProxy(d.extra as ProxyInfo));
