/**
 * The `connection` option: a `redis://` URL, or ioredis options (host, port, password, tls…),
 * turned into BullMQ's connection options. BullMQ's blocking connections need
 * `maxRetriesPerRequest: null`; our own timeouts (the executor's `connectTimeout`) are what
 * keeps a call from waiting forever on a Redis that is gone.
 */
import type { ConnectionOptions, RedisOptions } from 'bullmq';

/** Where Redis is: a URL such as `redis://127.0.0.1:6379`, or ioredis options. */
export type Connection = string | RedisOptions;

/** BullMQ connection options for `connection`. */
export function bullConnection(connection: Connection): ConnectionOptions {
  if (typeof connection === 'string') {
    if (!/^rediss?:\/\//.test(connection)) {
      throw new TypeError(
        `connection must be a redis:// (or rediss://) URL or ioredis options, not ${JSON.stringify(connection)}`,
      );
    }
    return { url: connection, maxRetriesPerRequest: null };
  }
  if (connection === null || typeof connection !== 'object') {
    throw new TypeError('connection must be a redis:// URL or ioredis options ({ host, port, … })');
  }
  return { maxRetriesPerRequest: null, ...connection };
}

/** `connection` for messages (without a password). */
export function describeConnection(connection: Connection): string {
  if (typeof connection === 'string') return connection.replace(/\/\/[^@/]*@/, '//***@');
  if (typeof connection.url === 'string') return describeConnection(connection.url);
  return `redis://${connection.host ?? '127.0.0.1'}:${connection.port ?? 6379}`;
}
