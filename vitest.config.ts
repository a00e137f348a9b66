import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // The JSON report lets .ci/run print one plain 'N passed, N failed' line.
    reporters: ['default', ['json', { outputFile: 'test-artifacts/vitest.json' }]],
    pool: 'forks',
  },
});
