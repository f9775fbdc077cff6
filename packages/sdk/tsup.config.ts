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
    // openapi-fetch's CommonJS build has no `default` export, so a CJS bundle that imports it
    // breaks under require(); bundling its ESM source gives both builds one working copy.
    noExternal: ['openapi-fetch'],
  },
  {
    // Types only: `import type { paths } from '@pmkit/sdk/schema'`.
    entry: { schema: 'src/generated/schema.ts' },
    dts: { only: true },
    format: ['esm', 'cjs'],
  },
]);
