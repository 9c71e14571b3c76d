import { defineConfig } from 'vitest/config';

// Model files in specs/ are not tests; only test/**/*.test.ts is collected.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 60_000,
  },
});
