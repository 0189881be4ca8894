import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end suites start servers and Chromium; two cores are better used one file at a time each.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default', './test/support/closingLineReporter.ts'],
  },
});
