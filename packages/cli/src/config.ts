import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { User } from '@pmkit/sdk';

export interface Profile {
  server?: string;
  accessToken?: string;
  refreshToken?: string;
  org?: string;
  /** The default project of task commands (`pm project use WEB`). */
  project?: string;
  user?: Pick<User, 'id' | 'email' | 'name'>;
}

/** Named profiles in one JSON file (mode 0600). */
export interface ProfileStore {
  readonly path: string;
  get(name: string): Profile;
  /** Merges `patch` into the profile; keys set to undefined are removed. */
  update(name: string, patch: Partial<Profile>): Profile;
  /** Resolves once every update is on disk. */
  flush(): Promise<void>;
}

interface ConfigFile {
  profiles: Record<string, Profile>;
}

/**
 * Where conf keeps the profile file when PM_CONFIG_DIR does not say (env-paths' config directory
 * for "pmkit"). bin/pm.cjs computes the same place.
 */
export function defaultConfigDir(env = process.env, platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Preferences', 'pmkit');
  if (platform === 'win32') {
    return join(env.APPDATA || join(homedir(), 'AppData', 'Roaming'), 'pmkit', 'Config');
  }
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'pmkit');
}

// Reading a profile is a JSON file read; conf (and the ajv it brings, most of a command's start-up)
// is loaded only to write one, for its atomic write and file mode. A change is seen at once by
// `get`, and written before `flush()` resolves: `run` flushes before it returns.
export async function openProfileStore(options: { cwd?: string }): Promise<ProfileStore> {
  const path = join(options.cwd ?? defaultConfigDir(), 'config.json');
  let profiles: Record<string, Profile> | undefined;
  const all = (): Record<string, Profile> => {
    if (!profiles) {
      try {
        profiles = (JSON.parse(readFileSync(path, 'utf8')) as ConfigFile).profiles ?? {};
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        profiles = {};
      }
    }
    return profiles;
  };
  let writes: Promise<void> = Promise.resolve();
  const save = async () => {
    const { default: Conf } = await import('conf');
    const conf = new Conf<ConfigFile>({
      projectName: 'pmkit',
      projectSuffix: '',
      configFileMode: 0o600,
      defaults: { profiles: {} },
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    conf.set('profiles', all());
  };
  return {
    path,
    get: (name) => ({ ...all()[name] }),
    update(name, patch) {
      const current = all();
      const merged: Profile = { ...current[name], ...patch };
      for (const key of Object.keys(merged) as (keyof Profile)[]) {
        if (merged[key] === undefined) delete merged[key];
      }
      profiles = { ...current, [name]: merged };
      writes = writes.then(save);
      return merged;
    },
    flush: () => writes,
  };
}
