/** `multiprocessing.Pipe`: a pair of connected Connections over kernel pipes. */
import { newFifo } from '../os/fifo.js';
import { type Connection, connectionOf } from './connection.js';

/**
 * A pair of connected Connection objects. `duplex` (the default): both ends send and receive
 * (two pipes, one each way). Otherwise the first end only receives and the second only sends.
 */
export function Pipe(duplex = true): [Connection, Connection] {
  const a = newFifo();
  if (!duplex) {
    return [connectionOf({ r: a.r, w: -1, nb: a.nb }), connectionOf({ r: -1, w: a.w })];
  }
  const b = newFifo();
  return [connectionOf({ r: a.r, w: b.w, nb: a.nb }), connectionOf({ r: b.r, w: a.w, nb: b.nb })];
}
