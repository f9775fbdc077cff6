import type { ProfileStore } from './config.js';
import type { Env } from './io.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:4680';

export type Format = 'table' | 'json' | 'csv' | 'tsv';
export const formats: readonly Format[] = ['table', 'json', 'csv', 'tsv'];
/** Formats only some commands write: a document (`pm report time --format pdf`). */
export type DocumentFormat = 'pdf';
export const documentFormats: readonly DocumentFormat[] = ['pdf'];

export interface GlobalOptions {
  server?: string;
  profile?: string;
  json?: boolean;
  format?: Format | DocumentFormat;
  org?: string;
}

export interface Settings {
  profile: string;
  server: string;
  org: string | undefined;
  token: string | undefined;
  tokenSource: 'env' | 'profile' | 'none';
  refreshToken: string | undefined;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Flags > environment (PM_*) > profile file > defaults. */
export function resolveSettings(flags: GlobalOptions, env: Env, store: ProfileStore): Settings {
  const profile = flags.profile ?? env.PM_PROFILE ?? 'default';
  const saved = store.get(profile);
  const server = trimSlash(flags.server ?? env.PM_SERVER ?? saved.server ?? DEFAULT_SERVER);
  const org = flags.org ?? env.PM_ORG ?? saved.org;
  if (env.PM_TOKEN) {
    return {
      profile,
      server,
      org,
      token: env.PM_TOKEN,
      tokenSource: 'env',
      refreshToken: undefined,
    };
  }
  // A saved session belongs to the server it was created on; never send it elsewhere.
  const sameServer = !saved.server || trimSlash(saved.server) === server;
  if (saved.accessToken && sameServer) {
    return {
      profile,
      server,
      org,
      token: saved.accessToken,
      tokenSource: 'profile',
      refreshToken: saved.refreshToken,
    };
  }
  return { profile, server, org, token: undefined, tokenSource: 'none', refreshToken: undefined };
}
