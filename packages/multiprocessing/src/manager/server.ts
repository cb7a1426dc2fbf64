/**
 * The manager's server process (Python's `BaseManager._run_server`): a Unix-socket server in
 * a child process; each client connection (one per client thread) gets comlink's `expose` of
 * a root object through which it creates objects and calls their methods by path
 * (`objects[id].method(...)`).
 */
import { rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { threadable } from '@threadkit/core';
import type { Endpoint } from 'comlink';
import type { Connection } from '../connection/connection.js';
import { KeyError } from '../errors.js';
import { SocketEndpoint } from './endpoint.js';
import { loadComlink } from './errors.js';
import { type FactorySpec, resolveFactory } from './factory.js';
import { BUILTIN_TYPES, facadeFor, NamespaceRef } from './referents.js';

/** A registered type as the server receives it. */
export interface TypeSpec {
  typeid: string;
  factory: FactorySpec | null;
}

/** What each connection may call (see the client in client.ts). */
export interface ServerRoot {
  create(typeid: string, args: unknown[]): Promise<number>;
  objects: Record<string, any>;
  getvalue(id: number): unknown;
  setattr(id: number, name: string, value: unknown): void;
  release(id: number): void;
}

function serve(
  expose: typeof import('comlink').expose,
  socket: Socket,
  owner: number,
  objects: Map<number, object>,
  factories: Map<string, Function>,
  next: { id: number },
): void {
  const lookup = (id: number | string): object => {
    const obj = objects.get(Number(id));
    if (!obj)
      throw new KeyError(`the manager has no object ${String(id)} (released or never created)`);
    return obj;
  };
  const root: ServerRoot = {
    async create(typeid, args) {
      const factory = factories.get(typeid);
      if (!factory) throw new KeyError(`unknown typeid '${typeid}'`);
      const obj = await factory(...args);
      if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) {
        throw new TypeError(
          `the factory of '${typeid}' returned ${obj === null ? 'null' : typeof obj}, not an object`,
        );
      }
      const id = ++next.id;
      objects.set(id, obj);
      return id;
    },
    objects: new Proxy(Object.create(null), {
      get: (_t, id) => facadeFor(lookup(id as string), owner),
    }),
    getvalue(id) {
      const obj = lookup(id) as { snapshot?: () => unknown };
      if (typeof obj.snapshot === 'function') return obj.snapshot();
      return obj instanceof NamespaceRef ? { ...obj } : obj;
    },
    setattr(id, name, value) {
      (lookup(id) as Record<string, unknown>)[name] = value;
    },
    release(id) {
      objects.delete(Number(id));
    },
  };
  socket.on('error', () => {});
  expose(root, new SocketEndpoint(socket, false) as unknown as Endpoint);
}

/**
 * The manager process's target: listen on `address`, tell the parent through `ready`, and
 * serve until SIGTERM (or until the parent is gone).
 */
export const serveManager = threadable(
  import.meta.url,
  async function serveManager(
    address: string,
    types: TypeSpec[],
    builtins: boolean,
    ready: Connection,
  ) {
    const { expose } = await loadComlink();
    const factories = new Map<string, Function>(builtins ? Object.entries(BUILTIN_TYPES) : []);
    try {
      for (const t of types)
        if (t.factory) factories.set(t.typeid, await resolveFactory(t.factory));
    } catch (err) {
      ready.send({ error: `cannot load a registered type: ${(err as Error).message}` });
      ready.close();
      return;
    }
    const objects = new Map<number, object>();
    const next = { id: 0 };
    let owner = 0;
    const server = createServer((socket) =>
      serve(expose, socket, ++owner, objects, factories, next),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address, () => resolve());
    });
    const stop = () => {
      server.close();
      rmSync(dirname(address), { recursive: true, force: true });
      process.exit(0);
    };
    process.on('SIGTERM', stop);
    process.on('disconnect', stop); // the parent died without shutting us down
    ready.send({ address });
    ready.close();
    await new Promise(() => {}); // serve until stopped
  },
);
