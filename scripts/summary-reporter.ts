/**
 * Ends the test run with one plain line, "Tests: N passed, N failed[, N skipped]", after
 * vitest's own summary, so that any tool reading the last line gets the counts.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (mod.state() === 'failed' && [...mod.children.allTests()].length === 0) failed++;
    }
    const tail = skipped ? `, ${skipped} skipped` : '';
    // After the default reporter has printed its own summary.
    setImmediate(() => process.stdout.write(`Tests: ${passed} passed, ${failed} failed${tail}\n`));
  }
}
