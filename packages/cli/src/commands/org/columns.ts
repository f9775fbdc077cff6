import type { Member, Org } from '@pmkit/sdk';
import type { Column } from '../../output/index.js';

export const orgColumns: Column<Org>[] = [
  { header: 'Slug', value: (o) => o.slug },
  { header: 'Name', value: (o) => o.name },
  { header: 'Role', value: (o) => o.role },
  { header: 'Id', value: (o) => o.id },
];

export const memberColumns: Column<Member>[] = [
  { header: 'Email', value: (m) => m.email },
  { header: 'Name', value: (m) => m.name },
  { header: 'Role', value: (m) => m.role },
  { header: 'Joined', value: (m) => m.joinedAt, time: true },
  { header: 'User Id', value: (m) => m.userId },
];
