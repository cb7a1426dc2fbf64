/**
 * The manager's server process (Python's `BaseManager._run_server`): a Unix-socket server in
 * a child process. Each client connection (one per client thread) sends requests
 * `[id, op, target, path, args]` (see wire.ts) that act on the objects by id: create one,
 * read an attribute, call a method, set an attribute, copy or release it. A reply is written
 * as soon as the result is known — at once for a synchronous method, when its promise
 * settles for an async one (a `get()` on an empty queue waits without holding up others).
 */
import { rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { threadable } from '@threadkit/core';
import type { Connection } from '../connection/connection.js';
import { KeyError } from '../errors.js';
import { errorToWire } from './errors.js';
import { type FactorySpec, resolveFactory } from './factory.js';
import { BUILTIN_TYPES, facadeFor, NamespaceRef } from './referents.js';
import { FrameReader, Op, type Request, Status, sendFrame } from './wire.js';

/** A registered type as the server receives it. */
export interface TypeSpec {
  typeid: string;
  factory: FactorySpec | null;
}

/** What the server holds: its objects and how to make new ones. */
interface Registry {
  objects: Map<number, object>;
  factories: Map<string, Function>;
  next: { id: number };
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === 'object' || typeof v === 'function') &&
    typeof (v as { then?: unknown }).then === 'function'
  );
}

/** Serve one client connection; `owner` identifies it to owner-aware objects (RLock…). */
function serve(socket: Socket, owner: number, reg: Registry): void {
  const lookup = (id: number | string): object => {
    const obj = reg.objects.get(Number(id));
    if (!obj)
      throw new KeyError(`the manager has no object ${String(id)} (released or never created)`);
    return obj;
  };

  const create = async (typeid: string, args: unknown[]): Promise<number> => {
    const factory = reg.factories.get(typeid);
    if (!factory) throw new KeyError(`unknown typeid '${typeid}'`);
    const obj = await factory(...args);
    if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) {
      throw new TypeError(
        `the factory of '${typeid}' returned ${obj === null ? 'null' : typeof obj}, not an object`,
      );
    }
    const id = ++reg.next.id;
    reg.objects.set(id, obj);
    return id;
  };

  const perform = (req: Request): unknown => {
    const target = req[2];
    const path = req[3];
    const args = req[4];
    switch (req[1]) {
      case Op.Create:
        return create(target as string, args);
      case Op.Get: {
        let v: any = facadeFor(lookup(target), owner);
        for (const p of path) v = v[p];
        return v;
      }
      case Op.Apply: {
        let self: any = facadeFor(lookup(target), owner);
        for (let i = 0; i < path.length - 1; i++) self = self[path[i]];
        const name = path[path.length - 1];
        const fn = self?.[name];
        if (typeof fn !== 'function') throw new TypeError(`${path.join('.')} is not a function`);
        return fn.apply(self, args);
      }
      case Op.Set:
        (lookup(target) as Record<string, unknown>)[path[0]] = args[0];
        return undefined;
      case Op.Value: {
        const obj = lookup(target) as { snapshot?: () => unknown };
        if (typeof obj.snapshot === 'function') return obj.snapshot();
        return obj instanceof NamespaceRef ? { ...obj } : obj;
      }
      case Op.Release:
        reg.objects.delete(Number(target));
        return undefined;
      default:
        throw new TypeError(`unknown manager request ${String(req[1])}`);
    }
  };

  const reply = (id: number, status: Status, value: unknown): void => {
    if (socket.destroyed) return;
    try {
      sendFrame(socket, [id, status, value]);
    } catch (err) {
      // The result cannot be sent (a function, a class instance…): the caller gets the error.
      sendFrame(socket, [id, ...errorToWire(err)]);
    }
  };

  const onRequest = (req: Request): void => {
    const id = req[0];
    let result: unknown;
    try {
      result = perform(req);
    } catch (err) {
      reply(id, ...errorToWire(err));
      return;
    }
    if (isThenable(result)) {
      result.then(
        (v) => reply(id, Status.Ok, v),
        (err) => reply(id, ...errorToWire(err)),
      );
    } else {
      reply(id, Status.Ok, result);
    }
  };

  const reader = new FrameReader((m) => onRequest(m as Request));
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  socket.on('error', () => {});
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
    const factories = new Map<string, Function>(builtins ? Object.entries(BUILTIN_TYPES) : []);
    try {
      for (const t of types)
        if (t.factory) factories.set(t.typeid, await resolveFactory(t.factory));
    } catch (err) {
      ready.send({ error: `cannot load a registered type: ${(err as Error).message}` });
      ready.close();
      return;
    }
    const reg: Registry = { objects: new Map(), factories, next: { id: 0 } };
    let owner = 0;
    const server = createServer((socket) => serve(socket, ++owner, reg));
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
