import type { Health, Readiness, ServerMeta } from '../types.js';
import { data, type ResourceContext } from './shared.js';

export interface SystemResource {
  health(): Promise<Health>;
  ready(): Promise<Readiness>;
  meta(): Promise<ServerMeta>;
}

export function systemResource({ raw }: ResourceContext): SystemResource {
  return {
    health: async () => data(await raw.GET('/health')),
    ready: async () => data(await raw.GET('/ready')),
    meta: async () => data(await raw.GET('/v1/meta')),
  };
}
