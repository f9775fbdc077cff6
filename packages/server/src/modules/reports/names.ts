import type { Queryable } from '../../db/types.js';
import * as store from './store.js';

export interface Person {
  id: string;
  name: string;
}

export interface ProjectRef {
  id: string;
  key: string;
  name: string;
  client: string | null;
}

export interface TaskRef {
  id: string;
  /** `WEB-42`. */
  key: string;
  title: string;
  labels: string[];
}

/** How many of each a report remembers; past that the oldest are forgotten and read again. */
const REMEMBERED = 10_000;

/** A Map that forgets the least recently met keys past REMEMBERED: a long report holds a few. */
class Recent<V> extends Map<string, V> {
  override set(key: string, value: V): this {
    super.set(key, value);
    if (this.size > REMEMBERED) this.delete(this.keys().next().value!);
    return this;
  }

  /** Whether `key` is known; if so it becomes the most recently met. */
  meet(key: string): boolean {
    const value = super.get(key);
    if (value === undefined) return false;
    super.delete(key);
    super.set(key, value);
    return true;
  }
}

/**
 * The people, projects and tasks of a report's entries, read once for all of their entries
 * rather than joined into every row: a chunk asks only for those it has not met yet.
 */
export class EntryNames {
  private readonly people = new Recent<Person>();
  private readonly projects = new Recent<ProjectRef>();
  private readonly tasks = new Recent<TaskRef>();

  constructor(
    private readonly db: Queryable,
    private readonly orgId: string,
  ) {}

  /** Reads those of `rows` not known yet; then `person`, `project` and `task` find them. */
  async learn(rows: readonly store.EntryRow[]): Promise<void> {
    // Those of this chunk are met first, so reading the new ones never forgets them.
    const unknown = (map: Recent<unknown>, ids: (string | null)[]) =>
      [...new Set(ids)].filter((id): id is string => id !== null && !map.meet(id));
    const people = unknown(
      this.people,
      rows.map((r) => r.user_id),
    );
    const projects = unknown(
      this.projects,
      rows.map((r) => r.project_id),
    );
    const tasks = unknown(
      this.tasks,
      rows.map((r) => r.task_id),
    );
    const [personRows, projectRows, taskRows] = await Promise.all([
      people.length ? store.people(this.db, people) : [],
      projects.length ? store.projects(this.db, this.orgId, projects) : [],
      tasks.length ? store.tasks(this.db, this.orgId, tasks) : [],
    ]);
    for (const p of personRows) this.people.set(p.id, p);
    for (const p of projectRows) {
      this.projects.set(p.id, { id: p.id, key: p.key, name: p.name, client: p.client_name });
    }
    for (const t of taskRows) this.tasks.set(t.id, t);
  }

  person(id: string): Person {
    return this.people.get(id) ?? { id, name: id };
  }

  project(id: string | null): ProjectRef | null {
    return id === null ? null : (this.projects.get(id) ?? null);
  }

  task(id: string | null): TaskRef | null {
    return id === null ? null : (this.tasks.get(id) ?? null);
  }
}
