import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type Org } from '../src/index.js';
import { type ScriptedServer, scriptedServer } from './server.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const orgs: Org[] = Array.from({ length: 5 }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  slug: `org-${i}`,
  name: `Org ${i}`,
  role: 'owner',
  createdAt: '2025-01-01T00:00:00Z',
}));

async function pagedServer() {
  server = await scriptedServer((r) => {
    const url = new URL(r.url, 'http://x');
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const start = Number(url.searchParams.get('cursor') ?? 0);
    const items = orgs.slice(start, start + limit);
    const next = start + limit < orgs.length ? String(start + limit) : null;
    return { status: 200, body: { items, nextCursor: next } };
  });
  return createClient({ baseUrl: server.url, token: 't' });
}

describe('paginated lists', () => {
  it('awaits to the first page', async () => {
    const pm = await pagedServer();
    const page = await pm.orgs.list({ limit: 2 });
    expect(page).toEqual({ items: orgs.slice(0, 2), nextCursor: '2' });
    expect(server?.requests.map((r) => r.url)).toEqual(['/v1/orgs?limit=2']);
  });

  it('iterates every item across pages with for await', async () => {
    const pm = await pagedServer();
    const slugs: string[] = [];
    for await (const org of pm.orgs.list({ limit: 2 })) slugs.push(org.slug);
    expect(slugs).toEqual(['org-0', 'org-1', 'org-2', 'org-3', 'org-4']);
    expect(server?.requests.map((r) => r.url)).toEqual([
      '/v1/orgs?limit=2',
      '/v1/orgs?limit=2&cursor=2',
      '/v1/orgs?limit=2&cursor=4',
    ]);
  });

  it('stops at maxItems without fetching further pages', async () => {
    const pm = await pagedServer();
    const items = await pm.orgs.list({ limit: 2 }, { maxItems: 3 }).toArray();
    expect(items.map((o) => o.slug)).toEqual(['org-0', 'org-1', 'org-2']);
    expect(server?.requests).toHaveLength(2);
  });

  it('reuses the awaited first page when iterating afterwards', async () => {
    const pm = await pagedServer();
    const list = pm.orgs.list({ limit: 3 });
    expect((await list).items).toHaveLength(3);
    expect(await list.toArray()).toHaveLength(5);
    expect(server?.requests).toHaveLength(2);
  });
});
