import type { ResourceLocator } from '../../context/located.js';
import { isUuid } from '../../context/located.js';
import type { Clock } from '../../lib/clock.js';
import { TtlCache } from '../../lib/ttl-cache.js';
import type { TaskService } from './service.js';

/**
 * Finds a task's organization by its id, or its id by its key (`WEB-42`) in an organization.
 * Neither ever changes (numbers are never reused), so found answers are cached; misses are not.
 */
export class TaskLocator implements ResourceLocator {
  private readonly cache: TtlCache<string, { orgId: string; id: string }>;

  constructor(
    private readonly tasks: TaskService,
    clock: Clock,
  ) {
    this.cache = new TtlCache(clock, 3_600_000, 50_000);
  }

  async locate(ref: string, orgId: string | undefined) {
    const uuid = isUuid(ref);
    if (!uuid && !orgId) return undefined;
    const cacheKey = uuid ? ref.toLowerCase() : `${orgId}/${ref}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    let found: { orgId: string; id: string } | undefined;
    if (uuid) {
      const owner = await this.tasks.orgOf(ref.toLowerCase());
      found = owner ? { orgId: owner, id: ref.toLowerCase() } : undefined;
    } else {
      const id = await this.tasks.idByKey(orgId!, ref);
      found = id ? { orgId: orgId!, id } : undefined;
    }
    if (found) this.cache.set(cacheKey, found);
    return found;
  }
}
