import { defineConfig } from 'tsup';

export default defineConfig({
  // run-task is an entry of its own: the workers' pool threads import it by its URL, and a
  // small module keeps their start cheap. cli is the threadkit-worker program.
  entry: { index: 'src/index.ts', 'run-task': 'src/run-task.ts', cli: 'src/cli.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  shims: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  external: ['@threadkit/core', '@threadkit/pool', 'bullmq', 'ioredis'],
});
