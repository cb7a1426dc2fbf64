// A pool thread shows in core's thread dump with the task it is running (and what that task
// is blocked in); between tasks it shows none.
import { dumpThreads, Event, formatThreadDump } from '@threadkit/core';
import { ThreadPoolExecutor } from '@threadkit/pool';
import { describe, expect, it } from 'vitest';

async function until(predicate: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('thread dumps of a ThreadPoolExecutor', () => {
  it("shows each worker's running task, by its target's name", async () => {
    const ex = new ThreadPoolExecutor({ maxWorkers: 1, threadNamePrefix: 'dumped' });
    try {
      const gate = new Event();
      const f = ex.submit(function waitAtGate(e: Event) {
        return e.wait(30);
      }, gate);
      const worker = () => dumpThreads().threads.find((t) => t.name.startsWith('dumped_'));
      await until(() => worker()?.blockedOn?.kind === 'Event.wait', 'the task to wait');
      expect(worker()?.task?.name).toBe('waitAtGate');
      expect(formatThreadDump()).toMatch(
        /"dumped_0" #\d+ .*\n {3}State: TIMED_WAITING in Event.wait .*\n {3}- waiting on <Event #\d+>\n {3}Running task waitAtGate\n/,
      );
      gate.set();
      expect(await f.result(30)).toBe(true);
      await until(() => worker()?.task === null, 'the task to end');
    } finally {
      await ex.shutdown();
    }
  });
});
