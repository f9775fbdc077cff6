import type { ResourceLocator } from '../../context/located.js';
import { isUuid } from '../../context/located.js';
import type { Clock } from '../../lib/clock.js';
import { TtlCache } from '../../lib/ttl-cache.js';
import type { TaskService } from './service.js';

/**
 * Finds a task's organization by its id, or its id by its key (`WEB-42`) in an organization.
 * A task's organization never changes, so found owners are cached (misses are not); its key
 * changes when it moves to another project, so keys are looked up every time.
 */
export class TaskLocator implements ResourceLocator {
  private readonly owners: TtlCache<string, string>;

  constructor(
    private readonly tasks: TaskService,
    clock: Clock,
  ) {
    this.owners = new TtlCache(clock, 3_600_000, 50_000);
  }

  async locate(ref: string, orgId: string | undefined) {
    if (!isUuid(ref)) {
      if (!orgId) return undefined;
      const id = await this.tasks.idByKey(orgId, ref);
      return id ? { orgId, id } : undefined;
    }
    const id = ref.toLowerCase();
    let owner = this.owners.get(id);
    if (!owner) {
      owner = await this.tasks.orgOf(id);
      if (!owner) return undefined;
      this.owners.set(id, owner);
    }
    return { orgId: owner, id };
  }
}
