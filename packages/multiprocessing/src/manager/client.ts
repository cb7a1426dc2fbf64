/**
 * Client side of a manager: one socket per (thread, manager), wrapped by comlink, and the
 * proxies handed to users. A proxy is a handle `(address, id, typeid)`: it crosses to threads
 * and child processes as that data and reconnects there. Every call returns a Promise,
 * because the reply comes back through the event loop of the calling thread.
 */
import { createConnection, type Socket } from 'node:net';
import { inspect } from 'node:util';
import { EOFError } from '@threadkit/core';
import {
  registerSharedType,
  SHARED,
  type SharedDescriptor,
  stateSlot,
} from '@threadkit/core/internal';
import type { Endpoint, Remote } from 'comlink';
import { OSError } from '../errors.js';
import { onFlush } from '../internal/hooks.js';
import { checkCrossProcess, PROCESS_SHARED, SHARED_NAME } from '../internal/transfer.js';
import { SocketEndpoint } from './endpoint.js';
import { loadComlink } from './errors.js';
import type { ServerRoot } from './server.js';

/** A live connection to a manager from this thread. */
export interface ManagerConnection {
  /** comlink's proxy of the server root (comlink is loaded on first use). */
  readonly remote: Promise<Remote<ServerRoot>>;
  /** Rejects when the connection is lost (no reply will come). */
  readonly lost: Promise<never>;
  dead: boolean;
  /** Rejecters of the calls awaiting a reply (failed at once if the connection is lost). */
  waiting: Set<(err: Error) => void>;
  socket: Socket;
  endpoint: SocketEndpoint;
}

const conns = stateSlot('mp.managerConnections', () => new Map<string, ManagerConnection>());
const flushing = stateSlot('mp.managerFlush', () => ({ installed: false }));

/** This thread's connection to the manager at `address` (made on first use). */
export function connectionTo(address: string): ManagerConnection {
  const existing = conns.get(address);
  if (existing && !existing.dead) return existing;
  const socket = createConnection(address);
  const endpoint = new SocketEndpoint(socket, true);
  let fail!: (err: Error) => void;
  const lost = new Promise<never>((_r, reject) => {
    fail = reject;
  });
  lost.catch(() => {});
  // The root proxy is not thenable (comlink's design), so it can travel in a Promise.
  const remote = loadComlink().then((c) => c.wrap<ServerRoot>(endpoint as unknown as Endpoint));
  const conn: ManagerConnection = {
    remote,
    lost,
    dead: false,
    waiting: new Set(),
    socket,
    endpoint,
  };
  const end = (err: Error) => {
    if (conn.dead) return;
    conn.dead = true;
    endpoint.abandon();
    fail(err);
    for (const reject of conn.waiting) reject(err);
    conn.waiting.clear();
  };
  // Once connected, losing the manager is an end of file (as Python's EOFError on recv);
  // before that, it was never reachable.
  let connected = false;
  socket.once('connect', () => {
    connected = true;
  });
  socket.on('error', (err) =>
    end(
      connected
        ? new EOFError('the manager process has gone away')
        : new OSError(`cannot reach the manager at ${address}: ${err.message}`),
    ),
  );
  socket.on('close', () => end(new EOFError('the manager process has gone away')));
  conns.set(address, conn);
  if (!flushing.installed) {
    flushing.installed = true;
    onFlush(async () => {
      await Promise.all([...conns.values()].map((c) => c.endpoint.idle()));
    });
  }
  return conn;
}

/**
 * `p`, or the connection's failure if it is lost first. (Not `Promise.race` with one
 * long-lived promise: every race would leave a reaction on it for as long as it lives.)
 */
export function guarded<T>(conn: ManagerConnection, p: Promise<T>): Promise<T> {
  if (conn.dead) {
    p.catch(() => {});
    return conn.lost;
  }
  return new Promise<T>((resolve, reject) => {
    conn.waiting.add(reject);
    p.then(
      (v) => {
        conn.waiting.delete(reject);
        resolve(v);
      },
      (e) => {
        conn.waiting.delete(reject);
        reject(e);
      },
    );
  });
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

/**
 * Follow `path` from the referent's comlink proxy. The result is a comlink sub-proxy, which is
 * thenable (a GET): only ever return it from a `.then` callback when the value is wanted.
 */
function at(remote: Remote<ServerRoot>, id: number, path: readonly string[]): any {
  let target: any = (remote.objects as any)[id];
  for (const p of path) target = target[p];
  return target;
}

/** A path below a proxy (`proxy.method`, `ns.attr`): callable, and awaitable for its value. */
function member(conn: ManagerConnection, info: ProxyInfo, path: readonly string[]): any {
  const label = `${proxyName(info.typeid)}.${path.join('.')}`;
  // comlink's proxy for this path, made once (each comlink proxy is a Proxy registered with a
  // FinalizationRegistry: cheap to keep, wasteful to rebuild on every call).
  let target: any = null;
  const resolve = (r: Remote<ServerRoot>) => (target ??= at(r, info.id, path));
  const children = new Map<string, any>();
  return new Proxy(function member() {}, {
    get(_t, prop) {
      if (prop === 'then') {
        const p = guarded(
          conn,
          conn.remote.then((r) => resolve(r)),
        );
        return p.then.bind(p);
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
      return guarded(
        conn,
        conn.remote.then((r) => resolve(r)(...args)),
      );
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
          return () =>
            guarded(
              conn,
              conn.remote.then((r) => r.getvalue(info.id)),
            );
        case '_release':
          return () =>
            guarded(
              conn,
              conn.remote.then((r) => r.release(info.id)),
            );
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
      guarded(
        conn,
        conn.remote.then((r) => r.setattr(info.id, prop, value)),
      ).catch(() => {});
      return true;
    },
    apply() {
      throw new TypeError(`${proxyName(info.typeid)} is not callable`);
    },
  });
}

registerSharedType('mp.ManagerProxy', (d) => makeProxy(d.extra as ProxyInfo));
