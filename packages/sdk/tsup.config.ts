import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    platform: 'node',
    target: 'node20',
    dts: true,
    clean: true,
    sourcemap: true,
    external: ['undici'],
  },
  {
    // Types only: `import type { paths } from '@pmkit/sdk/schema'`.
    entry: { schema: 'src/generated/schema.ts' },
    dts: { only: true },
    format: ['esm'],
  },
]);
