import type { Invitation } from '@pmkit/sdk';
import type { Column } from '../../output/index.js';

export const invitationColumns: Column<Invitation>[] = [
  { header: 'Id', value: (i) => i.id },
  { header: 'Email', value: (i) => i.email },
  { header: 'Role', value: (i) => i.role },
  { header: 'Created', value: (i) => i.createdAt, time: true },
  { header: 'Expires', value: (i) => i.expiresAt, time: true },
];
