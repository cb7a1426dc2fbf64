// Nested containers are reclaimed with the container that holds them (shared/lifetime.ts):
// the fixture runs in a child process with --expose-gc so that it can force collections.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runNode } from './helpers.js';

describe('SharedDict / SharedList / SharedSet reclamation', () => {
  it('containers nested at any depth are freed with their parent', () => {
    const r = runNode(['--expose-gc', join('lifetime', 'containers-nested.mjs')], {
      timeoutMs: 120_000,
      env: { THREADKIT_DEBUG_MEMORY: '1' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout.trim());
    // Every round made 64 containers; none survives its round.
    expect(out.liveAfterFirst).toBe(0);
    expect(out.liveAfter).toBe(0);
    // 20 more rounds reuse the freed memory rather than growing the arena.
    expect(out.last - out.first).toBeLessThanOrEqual(64 * 1024);
  });
});
