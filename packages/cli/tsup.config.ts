import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { pm: 'src/pm.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  clean: true,
  splitting: true,
  // One self-contained bundle: start-up does not walk node_modules. The server is the exception:
  // `pm server start` imports it at run time.
  noExternal: [/^(?!@pmkit\/server)/],
  external: ['@pmkit/server'],
  // Bundled CommonJS dependencies call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __pmCreateRequire } from 'node:module'; const require = __pmCreateRequire(import.meta.url);",
  },
});
