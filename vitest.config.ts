import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@pmkit/sdk/schema': src('./packages/sdk/src/generated/schema.ts'),
      '@pmkit/sdk': src('./packages/sdk/src/index.ts'),
      '@pmkit/server/testing': src('./packages/server/src/testing/index.ts'),
      '@pmkit/server': src('./packages/server/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/**/*.test.ts', 'scripts/test/**/*.test.ts'],
    globalSetup: ['./packages/server/src/testing/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
