import type { FetchLike } from './transport.js';

let loaded: Promise<FetchLike> | undefined;

/**
 * On Node, undici's fetch over one shared keep-alive Agent; elsewhere the global fetch.
 * undici is imported on first use so creating a client stays cheap.
 */
export const defaultFetch: FetchLike = async (url, init) => {
  loaded ??= load();
  const fetchImpl = await loaded;
  return fetchImpl(url, init);
};

async function load(): Promise<FetchLike> {
  if (typeof process === 'undefined' || !process.versions?.node) return globalThis.fetch;
  try {
    const undici = await import('undici');
    const dispatcher = new undici.Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
    return (url, init) =>
      undici.fetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>;
  } catch {
    return globalThis.fetch;
  }
}
