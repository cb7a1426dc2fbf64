/**
 * The `connection` option: where BullMQ keeps its queues. Redis — a `redis://` URL or ioredis
 * options (host, port, password, tls…) — or PostgreSQL, which BullMQ 6 also runs on with the
 * same API (its built-in backend, `createPostgresBackend`; the `pg` driver must be installed):
 * a `postgres://` URL, or `{ postgres: … }` with node-postgres pool options or a `pg.Pool`.
 * BullMQ's blocking Redis connections need `maxRetriesPerRequest: null`; our own timeouts (the
 * executor's `connectTimeout`) are what keeps a call from waiting forever on a store that is gone.
 */
import {
  type BackendFactory,
  type ConnectionOptions,
  createPostgresBackend,
  type PostgresConnectionOptions,
  type RedisOptions,
} from 'bullmq';

/** PostgreSQL as BullMQ's store: node-postgres pool options (or a `pg.Pool`), as BullMQ takes them. */
export interface PostgresStore {
  /** A connection string, pool options (`schema`, `migrate`… as BullMQ reads them), or a `pg.Pool`. */
  postgres: PostgresConnectionOptions;
}

/**
 * Where BullMQ's queues are: `redis://host:6379` (or `rediss://`), ioredis options,
 * `postgres://user@host:5432/db` (or `postgresql://`), or {@link PostgresStore}.
 */
export type Connection = string | RedisOptions | PostgresStore;

/** What BullMQ's classes are built with for a {@link Connection}. */
export interface BullStore {
  /** 'Redis' or 'PostgreSQL', for messages. */
  kind: 'Redis' | 'PostgreSQL';
  /** BullMQ's `connection` option. */
  connection: ConnectionOptions | PostgresConnectionOptions;
  /** BullMQ's backend factory (undefined: its default, Redis). */
  factory: BackendFactory<any, any> | undefined;
}

const POSTGRES_URL = /^postgres(ql)?:\/\//;

function isPostgresStore(connection: object): connection is PostgresStore {
  return Object.hasOwn(connection, 'postgres');
}

/** BullMQ's connection options and backend for `connection` (throws for what is not one). */
export function bullStore(connection: Connection): BullStore {
  if (typeof connection === 'string') {
    if (POSTGRES_URL.test(connection)) {
      // A bare URL means "this database, BullMQ's default schema": create its tables if needed.
      return {
        kind: 'PostgreSQL',
        connection: { connectionString: connection, migrate: true },
        factory: createPostgresBackend,
      };
    }
    if (!/^rediss?:\/\//.test(connection)) {
      throw new TypeError(
        `connection must be a redis:// (or rediss://) or postgres:// URL, ioredis options or { postgres }, not ${JSON.stringify(connection)}`,
      );
    }
    return {
      kind: 'Redis',
      connection: { url: connection, maxRetriesPerRequest: null },
      factory: undefined,
    };
  }
  if (connection === null || typeof connection !== 'object') {
    throw new TypeError(
      'connection must be a redis:// or postgres:// URL, ioredis options ({ host, port, … }) or { postgres }',
    );
  }
  if (isPostgresStore(connection)) {
    return { kind: 'PostgreSQL', connection: connection.postgres, factory: createPostgresBackend };
  }
  return {
    kind: 'Redis',
    connection: { maxRetriesPerRequest: null, ...connection },
    factory: undefined,
  };
}

/** `connection` for messages (without a password). */
export function describeConnection(connection: Connection): string {
  if (typeof connection === 'string') return connection.replace(/\/\/[^@/]*@/, '//***@');
  if (isPostgresStore(connection)) {
    const pg = connection.postgres as {
      connectionString?: unknown;
      host?: unknown;
      port?: unknown;
    };
    if (typeof pg === 'string') return describeConnection(pg);
    if (typeof pg.connectionString === 'string') return describeConnection(pg.connectionString);
    return `postgres://${String(pg.host ?? 'localhost')}:${String(pg.port ?? 5432)}`;
  }
  if (typeof connection.url === 'string') return describeConnection(connection.url);
  return `redis://${connection.host ?? '127.0.0.1'}:${connection.port ?? 6379}`;
}
