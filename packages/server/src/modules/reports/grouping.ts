import type { components } from '@pmkit/sdk/schema';
import type { ReportEntry } from './entry.js';
import { decimalHours, formatCents, hoursMinutes } from './figures.js';
import type { Dimension } from './request.js';

type ReportGroup = components['schemas']['ReportGroup'];
type ReportTotals = components['schemas']['ReportTotals'];
type Key = string | null;

/** How entries fall into the groups of one dimension, and what the groups are called. */
interface Grouping {
  /** The entry's keys: one, or one per task label; null for none. */
  keys(entry: ReportEntry): Key[];
  label(entry: ReportEntry, key: Key): string;
  /** Groups in the order of their keys (days, weeks, months), else by label. */
  chronological: boolean;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTH = new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const utcDay = (day: string) => new Date(`${day}T00:00:00Z`);
const addDays = (day: string, days: number) =>
  new Date(utcDay(day).getTime() + days * 86_400_000).toISOString().slice(0, 10);

const NO_LABELS: Key[] = [null];

const GROUPINGS: Record<Dimension, Grouping> = {
  project: {
    keys: (e) => [e.project?.id ?? null],
    label: ({ project }) => {
      if (!project) return 'No project';
      return project.name === project.key ? project.key : `${project.name} (${project.key})`;
    },
    chronological: false,
  },
  task: {
    keys: (e) => [e.task?.id ?? null],
    label: ({ task }) => (task ? `${task.key} ${task.title}` : 'No task'),
    chronological: false,
  },
  user: {
    keys: (e) => [e.user.id],
    label: (e) => e.user.name,
    chronological: false,
  },
  client: {
    keys: (e) => [e.project?.client ?? null],
    label: (_, key) => key ?? 'No client',
    chronological: false,
  },
  label: {
    keys: (e) => (e.task?.labels.length ? e.task.labels : NO_LABELS),
    label: (_, key) => key ?? 'No label',
    chronological: false,
  },
  day: {
    keys: (e) => [e.day],
    label: (_, key) => `${key} ${WEEKDAYS[utcDay(key!).getUTCDay()]}`,
    chronological: true,
  },
  week: {
    keys: (e) => [e.week],
    label: (e, key) => {
      const monday = addDays(e.day, 1 - e.weekday);
      return `${key} (${monday} – ${addDays(monday, 6)})`;
    },
    chronological: true,
  },
  month: {
    keys: (e) => [e.month],
    label: (_, key) => MONTH.format(utcDay(`${key}-01`)),
    chronological: true,
  },
};

/** Seconds, entries and billed amounts per currency of a set of entries. */
class Tally {
  seconds = 0;
  entries = 0;
  readonly amounts = new Map<string, bigint>();

  add(entry: ReportEntry) {
    this.seconds += entry.seconds;
    this.entries += 1;
    if (entry.amountCents !== null && entry.currency) {
      const currency = entry.currency;
      this.amounts.set(currency, (this.amounts.get(currency) ?? 0n) + entry.amountCents);
    }
  }

  totals(): ReportTotals {
    return {
      seconds: this.seconds,
      hours: decimalHours(this.seconds),
      hm: hoursMinutes(this.seconds),
      entries: this.entries,
      amounts: [...this.amounts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, cents]) => ({ amount: formatCents(cents), currency })),
    };
  }
}

interface Node {
  key: Key;
  label: string;
  tally: Tally;
  children: Map<Key, Node>;
}

/**
 * Totals of a report and of its groups, one or two levels, fed one entry at a time so that no
 * list of entries is ever held. An entry of a task with two labels counts under each label (and
 * once in the total).
 */
export class GroupedTotals {
  private readonly total = new Tally();
  private readonly roots = new Map<Key, Node>();
  private readonly groupings: Grouping[];

  constructor(groupBy: readonly Dimension[]) {
    this.groupings = groupBy.map((dimension) => GROUPINGS[dimension]);
  }

  add(entry: ReportEntry): void {
    this.total.add(entry);
    this.addAt(this.roots, entry, 0);
  }

  private addAt(level: Map<Key, Node>, entry: ReportEntry, depth: number) {
    const grouping = this.groupings[depth];
    if (!grouping) return;
    for (const key of new Set(grouping.keys(entry))) {
      let node = level.get(key);
      if (!node) {
        node = { key, label: grouping.label(entry, key), tally: new Tally(), children: new Map() };
        level.set(key, node);
      }
      node.tally.add(entry);
      this.addAt(node.children, entry, depth + 1);
    }
  }

  totals(): ReportTotals {
    return this.total.totals();
  }

  groups(): ReportGroup[] {
    return this.toGroups(this.roots, 0);
  }

  private toGroups(level: Map<Key, Node>, depth: number): ReportGroup[] {
    const grouping = this.groupings[depth]!;
    const nested = depth + 1 < this.groupings.length;
    return [...level.values()].sort(order(grouping)).map((node) => ({
      key: node.key,
      label: node.label,
      ...node.tally.totals(),
      ...(nested ? { groups: this.toGroups(node.children, depth + 1) } : {}),
    }));
  }
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** Groups in the order of their keys or labels; the group of entries without one last. */
function order(grouping: Grouping) {
  return (a: Node, b: Node): number => {
    if (a.key === null || b.key === null) return a.key === null ? (b.key === null ? 0 : 1) : -1;
    if (grouping.chronological) return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
    return collator.compare(a.label, b.label) || (a.key < b.key ? -1 : 1);
  };
}
