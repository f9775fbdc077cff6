import type { ResourceLocator } from '../../context/located.js';
import { isUuid } from '../../context/located.js';
import type { Clock } from '../../lib/clock.js';
import { TtlCache } from '../../lib/ttl-cache.js';
import type { ProjectService } from './service.js';

/**
 * Finds a project's organization by its id, or its id by its key in an organization. Both never
 * change (keys are never renamed or reused), so found answers are cached; misses are not.
 */
export class ProjectLocator implements ResourceLocator {
  private readonly byId: TtlCache<string, { orgId: string; id: string }>;
  private readonly byKey: TtlCache<string, { orgId: string; id: string }>;

  constructor(
    private readonly projects: ProjectService,
    clock: Clock,
  ) {
    this.byId = new TtlCache(clock, 3_600_000, 10_000);
    this.byKey = new TtlCache(clock, 3_600_000, 10_000);
  }

  async locate(ref: string, orgId: string | undefined) {
    if (isUuid(ref)) {
      const id = ref.toLowerCase();
      let found = this.byId.get(id);
      if (!found) {
        const row = await this.projects.orgOf(id);
        if (!row) return undefined;
        found = { orgId: row.org_id, id };
        this.byId.set(id, found);
      }
      return found;
    }
    if (!orgId) return undefined;
    const cacheKey = `${orgId}/${ref}`;
    let found = this.byKey.get(cacheKey);
    if (!found) {
      const id = await this.projects.idByKey(orgId, ref);
      if (!id) return undefined;
      found = { orgId, id };
      this.byKey.set(cacheKey, found);
    }
    return found;
  }
}
