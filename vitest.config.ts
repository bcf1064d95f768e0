import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // End-to-end tests spawn real processes (Go builds, tmux); give them room.
    testTimeout: 60_000,
    hookTimeout: 300_000,
    // Two cores: keep the pool small so process-group and RSS tests are not starved.
    pool: 'forks',
    maxWorkers: 2,
  },
});
