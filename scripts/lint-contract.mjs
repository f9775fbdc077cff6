// `redocly lint openapi.yaml`, minus one notice. Redocly CLI 2.x prints a boxed "Node.js 20
// support is ending" banner on every run under Node 20 and offers no setting to turn it off;
// Node 20.19+ is supported here, so the box is dropped. Everything else, exit code included,
// passes through unchanged.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const cliDir = dirname(require.resolve('@redocly/cli/package.json'));
const { bin } = require('@redocly/cli/package.json');
const entry = join(cliDir, typeof bin === 'string' ? bin : bin.redocly);

const child = spawn(
  process.execPath,
  [entry, 'lint', 'openapi.yaml', '--format=stylish', ...process.argv.slice(2)],
  {
    stdio: ['ignore', 'inherit', 'pipe'],
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  },
);

let stderr = '';
child.stderr.setEncoding('utf8');
child.stderr.on('data', (chunk) => {
  stderr += chunk;
});
child.on('close', (code, signal) => {
  process.stderr.write(withoutNode20Banner(stderr));
  process.exitCode = code ?? (signal ? 1 : 0);
});

/** Removes the box (╔ … ╚ lines) that mentions Node.js 20, and the blank line after it. */
function withoutNode20Banner(text) {
  return text.replace(/\n?[ \t]*╔[\s\S]*?╚[^\n]*\n\n?/g, (box) =>
    box.includes('Node.js 20') ? '' : box,
  );
}
