import { isUuid, type ResourceLocator } from '../../context/located.js';
import type { Database } from '../../db/types.js';
import type { Clock } from '../../lib/clock.js';
import { TtlCache } from '../../lib/ttl-cache.js';
import { orgOfEntry } from './store.js';

/** Finds a time entry's organization by its id, which never changes: found answers are cached. */
export class TimeEntryLocator implements ResourceLocator {
  private readonly cache: TtlCache<string, { orgId: string; id: string }>;

  constructor(
    private readonly db: Database,
    clock: Clock,
  ) {
    this.cache = new TtlCache(clock, 3_600_000, 50_000);
  }

  async locate(ref: string) {
    if (!isUuid(ref)) return undefined;
    const id = ref.toLowerCase();
    const cached = this.cache.get(id);
    if (cached) return cached;
    const orgId = await orgOfEntry(this.db, id);
    if (!orgId) return undefined;
    const found = { orgId, id };
    this.cache.set(id, found);
    return found;
  }
}
