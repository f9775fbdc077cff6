import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layering DESIGN.md describes, held by a test rather than by memory.
const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = sources(src);
const allImportsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/from\s+'(\.[^']+)'/g)].map((m) =>
    resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')),
  );
const rel = (file: string) => relative(src, file);
const moduleOf = (file: string) => /^modules\/([^/]+)\//.exec(rel(file))?.[1];

describe('the server’s structure', () => {
  it('keeps the http layer, lib and context free of modules', () => {
    const offenders = files
      .filter((file) => /^(http|lib|context)\//.test(rel(file)))
      .flatMap((file) =>
        allImportsOf(file)
          .filter((target) => rel(target).startsWith('modules/'))
          .map((target) => `${rel(file)} → ${rel(target)}`),
      );
    expect(offenders).toEqual([]);
  });

  it('lets a module reach another only through its service, and keeps SQL in stores', () => {
    const offenders = files.flatMap((file) => {
      const own = moduleOf(file);
      if (!own) return [];
      const foreignStores = allImportsOf(file)
        .filter((target) => moduleOf(target) && moduleOf(target) !== own)
        .filter((target) => /store\.ts$/.test(target))
        .map((target) => `${rel(file)} → ${rel(target)}`);
      const sqlInService =
        /service\.ts$/.test(file) && /\.query(<[^>]*>)?\(/.test(readFileSync(file, 'utf8'));
      return sqlInService ? [...foreignStores, `${rel(file)} sends SQL`] : foreignStores;
    });
    expect(offenders).toEqual([]);
  });

  it('has no import cycles, type-only ones included', () => {
    const graph = new Map(files.map((file) => [file, allImportsOf(file)]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].map(rel).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
