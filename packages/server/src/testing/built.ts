import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function newest(path: string): { file: string; mtimeMs: number } {
  const stat = statSync(path);
  if (!stat.isDirectory()) return { file: path, mtimeMs: stat.mtimeMs };
  let best = { file: path, mtimeMs: 0 };
  for (const entry of readdirSync(path)) {
    const found = newest(join(path, entry));
    if (found.mtimeMs > best.mtimeMs) best = found;
  }
  return best;
}

/**
 * Refuses (throws) when a test would run a package's built output that is missing or older than
 * any of its sources: such a test would pass or fail on yesterday's code. `sources` are files or
 * folders (a package's `src`, the contract).
 */
export function assertFreshBuild(output: string, sources: string[], build: string): void {
  if (!existsSync(output)) throw new Error(`${output} is missing: run \`${build}\` first`);
  const built = statSync(output).mtimeMs;
  for (const source of sources) {
    const latest = newest(source);
    if (latest.mtimeMs > built) {
      throw new Error(
        `${relative(process.cwd(), output)} is older than ${relative(process.cwd(), latest.file)}: run \`${build}\` first`,
      );
    }
  }
}
