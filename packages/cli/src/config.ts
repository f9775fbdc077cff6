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
}

interface ConfigFile {
  profiles: Record<string, Profile>;
}

// conf (and the ajv it brings) is loaded only by commands that read or write profiles.
export async function openProfileStore(options: { cwd?: string }): Promise<ProfileStore> {
  const { default: Conf } = await import('conf');
  const conf = new Conf<ConfigFile>({
    projectName: 'pmkit',
    projectSuffix: '',
    configFileMode: 0o600,
    defaults: { profiles: {} },
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  const all = () => conf.get('profiles') ?? {};
  return {
    path: conf.path,
    get: (name) => ({ ...all()[name] }),
    update(name, patch) {
      const profiles = all();
      const merged: Profile = { ...profiles[name], ...patch };
      for (const key of Object.keys(merged) as (keyof Profile)[]) {
        if (merged[key] === undefined) delete merged[key];
      }
      conf.set('profiles', { ...profiles, [name]: merged });
      return merged;
    },
  };
}
