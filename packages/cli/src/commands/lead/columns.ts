import type { Lead } from '@pmkit/sdk';
import type { Column } from '../../output/index.js';

export const leadColumns: Column<Lead>[] = [
  { header: 'Id', value: (l) => l.id },
  { header: 'Name', value: (l) => l.name },
  { header: 'Email', value: (l) => l.email },
  { header: 'Phone', value: (l) => l.phone },
  { header: 'Company', value: (l) => l.company },
  { header: 'Status', value: (l) => l.status },
  { header: 'Source', value: (l) => l.source },
  { header: 'Score', value: (l) => String(l.score) },
  { header: 'Owner', value: (l) => l.ownerId },
  { header: 'Follow-up', value: (l) => l.nextFollowUpAt, time: true },
];

export const leadDetailColumns: Column<Lead>[] = [
  ...leadColumns,
  { header: 'Title', value: (l) => l.title },
  { header: 'Tags', value: (l) => l.tags.join(',') },
  { header: 'Notes', value: (l) => l.notes },
  { header: 'Lost Reason', value: (l) => l.lostReason },
  {
    header: 'Score Breakdown',
    value: (l) =>
      l.scoreBreakdown.map((p) => `${p.rule} ${p.points >= 0 ? '+' : ''}${p.points}`).join('; '),
  },
  { header: 'Preferences', value: (l) => JSON.stringify(l.preferences) },
  { header: 'Custom Fields', value: (l) => JSON.stringify(l.customFields) },
  { header: 'Converted', value: (l) => l.convertedAt, time: true },
  { header: 'Project', value: (l) => l.projectId },
  { header: 'Created', value: (l) => l.createdAt, time: true },
  { header: 'Updated', value: (l) => l.updatedAt, time: true },
  { header: 'Version', value: (l) => String(l.version) },
];
