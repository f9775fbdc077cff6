import type { ApiKey } from '@pmkit/sdk';
import type { Column } from '../../output/index.js';

export const apiKeyColumns: Column<ApiKey>[] = [
  { header: 'Id', value: (k) => k.id },
  { header: 'Name', value: (k) => k.name },
  { header: 'Prefix', value: (k) => k.prefix },
  { header: 'Scopes', value: (k) => k.scopes.join(',') },
  { header: 'Created', value: (k) => k.createdAt, time: true },
  { header: 'Expires', value: (k) => k.expiresAt ?? 'never', time: true },
  { header: 'Last Used', value: (k) => k.lastUsedAt, time: true },
];
