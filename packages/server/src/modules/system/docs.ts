import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Middleware } from 'koa';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>pmkit API reference</title>
  <link rel="icon" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/init.js"></script>
</body>
</html>
`;

// A separate file rather than an inline script, so the page works under a strict CSP.
const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/openapi.yaml',
  dom_id: '#reference',
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false,
});
`;

function assetsDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('swagger-ui-dist/package.json'));
}

/** Serves the reference page's assets from the swagger-ui-dist package: no CDN, works offline. */
export function docsAssets(): Middleware {
  const cache = new Map<string, Buffer>();
  let dir: string | undefined;
  return async function docsAssets(ctx, next) {
    if (!ctx.path.startsWith('/docs/assets/') || (ctx.method !== 'GET' && ctx.method !== 'HEAD'))
      return next();
    const name = ctx.path.slice('/docs/assets/'.length);
    if (name === 'init.js') {
      ctx.type = 'text/javascript; charset=utf-8';
      ctx.body = INIT_SCRIPT;
      return;
    }
    const type = ASSETS[name];
    if (!type) return next();
    let content = cache.get(name);
    if (!content) {
      dir ??= assetsDir();
      content = await readFile(join(dir, name));
      cache.set(name, content);
    }
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.type = type;
    ctx.body = content;
  };
}
