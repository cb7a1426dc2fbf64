// The `.ts` module target of the Process start-up program (program.ts `process`): sends the
// time it ran (CLOCK_MONOTONIC, so the parent's clock agrees) back over a Pipe.
import type { Connection } from '@threadkit/multiprocessing';
import { threadable } from '@threadkit/multiprocessing';

enum Stamp {
  Ran = 1,
}

export const stamp = threadable(import.meta.url, function stamp(conn: Connection): void {
  conn.send([Stamp.Ran, process.hrtime.bigint()]);
  conn.close();
});
