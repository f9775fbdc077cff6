import type { Money, ReportGroup, ReportTotals, TimeReport } from '@pmkit/sdk';
import type { Column } from '../../output/index.js';

/** One line of the grouped totals: a group, a subgroup under it, or the grand total. */
export interface SummaryRow {
  group: string;
  subgroup: string;
  totals: ReportTotals | ReportGroup;
  level: 1 | 2 | 'total';
}

const amounts = (list: Money[]) => list.map((m) => `${m.amount} ${m.currency}`).join(', ');

export function summaryRows(report: TimeReport): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const group of report.groups) {
    rows.push({ group: group.label, subgroup: '', totals: group, level: 1 });
    for (const child of group.groups ?? []) {
      rows.push({ group: group.label, subgroup: child.label, totals: child, level: 2 });
    }
  }
  rows.push({ group: 'Total', subgroup: '', totals: report.total, level: 'total' });
  return rows;
}

const figures: Column<SummaryRow>[] = [
  { header: 'Entries', value: (r) => r.totals.entries },
  { header: 'Hours', value: (r) => r.totals.hours },
  { header: 'h:mm', value: (r) => r.totals.hm },
  { header: 'Amount', value: (r) => amounts(r.totals.amounts) },
];

/** On a terminal: one Group column, subgroups indented under their group. */
export const tableColumns: Column<SummaryRow>[] = [
  { header: 'Group', value: (r) => (r.level === 2 ? `  ${r.subgroup}` : r.group) },
  ...figures,
];

/** For scripts: the group on every line, the subgroup in its own column, seconds too. */
export function scriptColumns(levels: number): Column<SummaryRow>[] {
  return [
    { header: 'Group', value: (r) => r.group },
    ...(levels > 1 ? [{ header: 'Subgroup', value: (r: SummaryRow) => r.subgroup }] : []),
    { header: 'Seconds', value: (r) => r.totals.seconds },
    ...figures,
  ];
}
