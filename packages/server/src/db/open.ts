import type { ServerConfig } from '../config.js';
import { lockDataDir } from './data-dir-lock.js';
import { openPGlite } from './pglite.js';
import { openPostgres } from './postgres.js';
import type { Database } from './types.js';

/** PostgreSQL when DATABASE_URL is set, otherwise PGlite in the data directory (locked to us). */
export async function openDatabase(
  config: Pick<ServerConfig, 'databaseUrl' | 'dataDir'>,
): Promise<Database> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  const unlock = lockDataDir(config.dataDir);
  try {
    const db = await openPGlite({ dataDir: config.dataDir });
    return {
      ...db,
      async close() {
        await db.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}
