import type { Org } from '@pmkit/sdk';
import type { Column } from '../../output/index.js';

export const orgColumns: Column<Org>[] = [
  { header: 'Slug', value: (o) => o.slug },
  { header: 'Name', value: (o) => o.name },
  { header: 'Role', value: (o) => o.role },
  { header: 'Id', value: (o) => o.id },
];
