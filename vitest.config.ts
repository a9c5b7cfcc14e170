import { defineConfig } from 'vitest/config';

// One real Temporal dev server per run (global setup); each test file uses its own task queue.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/global-setup.ts'],
    pool: 'forks',
    // Two cores: the dev server, a worker and spawned servers already compete for them.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
