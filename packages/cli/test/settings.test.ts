import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProfileStore, type Profile, type ProfileStore } from '../src/config.js';
import { DEFAULT_SERVER, resolveSettings } from '../src/settings.js';
import { runPm, tempDir } from './helpers.js';

function memoryStore(profiles: Record<string, Profile>): ProfileStore {
  return {
    path: ':memory:',
    get: (n) => ({ ...profiles[n] }),
    update: () => ({}),
    flush: async () => {},
  };
}

const saved = memoryStore({
  default: {
    server: 'http://saved:1',
    org: 'saved-org',
    accessToken: 'saved-at',
    refreshToken: 'saved-rt',
  },
  work: { server: 'http://work:2', org: 'work-org', accessToken: 'work-at' },
});

describe('config precedence', () => {
  it('falls back to the profile, then the defaults', () => {
    expect(resolveSettings({}, {}, saved)).toEqual({
      profile: 'default',
      server: 'http://saved:1',
      org: 'saved-org',
      token: 'saved-at',
      tokenSource: 'profile',
      refreshToken: 'saved-rt',
    });
    expect(resolveSettings({}, {}, memoryStore({}))).toMatchObject({
      server: DEFAULT_SERVER,
      org: undefined,
      tokenSource: 'none',
    });
  });

  it('lets the environment override the profile', () => {
    const env = {
      PM_SERVER: 'http://env:3/',
      PM_ORG: 'env-org',
      PM_TOKEN: 'env-token',
      PM_PROFILE: 'work',
    };
    expect(resolveSettings({}, env, saved)).toEqual({
      profile: 'work',
      server: 'http://env:3',
      org: 'env-org',
      token: 'env-token',
      tokenSource: 'env',
      refreshToken: undefined,
    });
  });

  it('lets flags override the environment', () => {
    const env = { PM_SERVER: 'http://env:3', PM_ORG: 'env-org', PM_PROFILE: 'default' };
    const s = resolveSettings(
      { server: 'http://work:2', org: 'flag-org', profile: 'work' },
      env,
      saved,
    );
    expect(s).toMatchObject({
      profile: 'work',
      server: 'http://work:2',
      org: 'flag-org',
      token: 'work-at',
    });
  });

  it("never sends a profile's token to another server", () => {
    const s = resolveSettings({ server: 'http://elsewhere:9' }, {}, saved);
    expect(s).toMatchObject({
      server: 'http://elsewhere:9',
      token: undefined,
      tokenSource: 'none',
    });
  });
});

describe('profile file', () => {
  it('is written with mode 0600 in PM_CONFIG_DIR', async () => {
    const dir = tempDir();
    const store = await openProfileStore({ cwd: dir });
    store.update('default', { server: 'http://a:1', org: 'x' });
    store.update('default', { org: undefined, accessToken: 't' });
    expect(store.get('default')).toEqual({ server: 'http://a:1', accessToken: 't' });
    await store.flush();
    expect(store.path).toBe(join(dir, 'config.json'));
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(store.path, 'utf8'))).toEqual({
      profiles: { default: { server: 'http://a:1', accessToken: 't' } },
    });
  });

  it('is found through PM_CONFIG_DIR by the CLI', async () => {
    const dir = tempDir();
    const store = await openProfileStore({ cwd: dir });
    store.update('default', { server: 'http://127.0.0.1:9', accessToken: 'abc' });
    await store.flush();
    const result = await runPm(['auth', 'token'], { env: { PM_CONFIG_DIR: dir } });
    expect(result).toMatchObject({ code: 0, stdout: 'abc\n', stderr: '' });
  });
});
