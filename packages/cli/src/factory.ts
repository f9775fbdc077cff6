import { type ClientOptions, createClient, type PmClient } from '@pmkit/sdk';
import pkg from '../package.json' with { type: 'json' };
import { openProfileStore, type ProfileStore } from './config.js';
import type { Env, IOStreams } from './io.js';
import { inquirerPrompter, type Prompter } from './prompter.js';
import { type GlobalOptions, resolveSettings, type Settings } from './settings.js';

export interface Clock {
  now(): Date;
}

/**
 * Everything a command may use. `prepare()` runs once, before the command's action, with the
 * parsed global flags; `config`, `settings` and `client` are available after it.
 */
export interface Factory {
  readonly version: string;
  readonly io: IOStreams;
  readonly env: Env;
  readonly clock: Clock;
  /** The working directory (where the git branch is read from). */
  readonly cwd: string;
  readonly prompter: Prompter;
  readonly globals: GlobalOptions;
  prepare(globals: GlobalOptions): Promise<void>;
  /** Writes what commands changed in the profile file; `run` calls it before returning. */
  flush(): Promise<void>;
  config(): ProfileStore;
  settings(): Settings;
  /** The SDK client for the resolved server and credentials; refreshed tokens are saved. */
  client(overrides?: Partial<ClientOptions>): PmClient;
}

export interface FactoryOptions {
  io: IOStreams;
  env: Env;
  /** Directory of the profile file; defaults to PM_CONFIG_DIR, then the OS config directory. */
  configDir?: string;
  fetch?: typeof fetch;
  clock?: Clock;
  prompter?: Prompter;
  cwd?: string;
}

export function createFactory(options: FactoryOptions): Factory {
  const { io, env } = options;
  let globals: GlobalOptions = {};
  let store: ProfileStore | undefined;
  let settings: Settings | undefined;
  let client: PmClient | undefined;

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('factory used before prepare()');
    return value;
  };

  const factory: Factory = {
    version: pkg.version,
    io,
    env,
    clock: options.clock ?? { now: () => new Date() },
    cwd: options.cwd ?? process.cwd(),
    prompter: options.prompter ?? inquirerPrompter(io),
    get globals() {
      return globals;
    },
    async prepare(flags) {
      globals = flags;
      const cwd = options.configDir ?? env.PM_CONFIG_DIR;
      store = await openProfileStore(cwd ? { cwd } : {});
      settings = resolveSettings(flags, env, store);
    },
    flush: async () => {
      await store?.flush();
    },
    config: () => ready(store),
    settings: () => ready(settings),
    client(overrides) {
      if (client && !overrides) return client;
      const s = ready(settings);
      const profiles = ready(store);
      const created = createClient({
        baseUrl: s.server,
        userAgent: `pm/${pkg.version}`,
        ...(s.org ? { org: s.org } : {}),
        ...credentials(s),
        // Node's own fetch: a command makes a request or a few, and loading the undici package
        // the SDK would otherwise use costs more start-up than the request itself.
        fetch: options.fetch ?? globalThis.fetch,
        onSession: (session) => {
          const { id, email, name } = session.user;
          profiles.update(s.profile, {
            server: s.server,
            accessToken: session.accessToken,
            refreshToken: session.refreshToken,
            user: { id, email, name },
          });
        },
        ...overrides,
      });
      if (!overrides) client = created;
      return created;
    },
  };
  return factory;
}

function credentials(s: Settings): Partial<ClientOptions> {
  if (!s.token) return {};
  if (s.tokenSource === 'profile' && s.refreshToken) {
    return { session: { accessToken: s.token, refreshToken: s.refreshToken } };
  }
  return { token: s.token };
}
