import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    platform: 'node',
    target: 'node20',
    dts: true,
    // No `clean`: tsup builds the two entries at once, and cleaning in one could delete the
    // other's output (schema.d.ts went missing that way). The build script empties dist first.
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
