import type { PmClient } from '@pmkit/sdk';
import { movableClock, startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, addMember, failure, signUp } from '../identity/helpers.js';

const MINUTE = 60_000;
const clock = movableClock();
let server: TestServer;
let owner: Account;
let orgId: string;
let pm: PmClient;

beforeAll(async () => {
  // The clock moves hours ahead; access tokens must outlive that.
  server = await startTestServer({ clock, config: { accessTokenTtlSeconds: 7 * 86_400 } });
  owner = await signUp(server, 'timer-owner');
  const org = await owner.pm.orgs.create({ name: 'Timer Org' });
  orgId = org.id;
  pm = server.client({ token: owner.accessToken, org: org.id });
  await pm.projects.create(orgId, { key: 'TIM', name: 'Timekeeping' });
  await pm.tasks.create('TIM', { title: 'Login form' });
  await pm.tasks.create('TIM', { title: 'Signup form' });
});
afterAll(() => server.close());

const runningTimers = async (userId: string) =>
  Number(
    (
      await server.db.query<{ n: string }>(
        'SELECT count(*) AS n FROM time_entries WHERE user_id = $1 AND ended_at IS NULL AND deleted_at IS NULL',
        [userId],
      )
    ).rows[0]!.n,
  );

describe('timer', () => {
  it('starts on a task, says so, and stops into an entry of the elapsed time', async () => {
    expect(await pm.timer.get()).toBeNull();
    const { timer, stopped } = await pm.timer.start({
      task: 'TIM-1',
      note: 'Form',
      billable: true,
    });
    expect(stopped).toBeNull();
    expect(timer).toMatchObject({
      state: 'running',
      task: { key: 'TIM-1', title: 'Login form' },
      project: { key: 'TIM' },
      note: 'Form',
      billable: true,
      elapsedSeconds: 0,
      overLimit: false,
    });
    clock.offsetMs += 25 * MINUTE;
    expect((await pm.timer.get())?.elapsedSeconds).toBeGreaterThanOrEqual(25 * 60);
    const entry = await pm.timer.stop();
    expect(entry.id).toBe(timer.id);
    expect(entry.durationSeconds).toBeGreaterThanOrEqual(25 * 60);
    expect(entry.durationSeconds).toBeLessThan(25 * 60 + 5);
    expect(entry.task?.key).toBe('TIM-1');
    expect(await pm.timer.get()).toBeNull();
  });

  it('leaves paused time out: start, pause 10 minutes, resume, stop', async () => {
    await pm.timer.start({ project: 'TIM' });
    clock.offsetMs += 5 * MINUTE;
    const paused = await pm.timer.pause();
    expect(paused.state).toBe('paused');
    expect((await failure(pm.timer.pause())).type).toMatch(/timer-paused$/);
    clock.offsetMs += 10 * MINUTE;
    expect((await pm.timer.get())?.elapsedSeconds).toBeLessThan(5 * 60 + 5);
    const resumed = await pm.timer.resume();
    expect(resumed.state).toBe('running');
    expect((await failure(pm.timer.resume())).type).toMatch(/timer-not-paused$/);
    clock.offsetMs += 3 * MINUTE;
    const entry = await pm.timer.stop();
    expect(entry.durationSeconds).toBeGreaterThanOrEqual(8 * 60);
    expect(entry.durationSeconds).toBeLessThan(8 * 60 + 5);
    expect(entry.segments).toHaveLength(2);
    expect(entry.segments.every((s) => s.end !== null)).toBe(true);
  });

  it('refuses a second timer naming the running one, and switch stops it into an entry', async () => {
    const first = await pm.timer.start({ task: 'TIM-1' });
    const conflict = await failure(pm.timer.start({ task: 'TIM-2' }));
    expect(conflict.status).toBe(409);
    expect(conflict.type).toMatch(/timer-running$/);
    expect(conflict.problem.timer?.id).toBe(first.timer.id);
    expect(conflict.detail).toContain('TIM-1');
    clock.offsetMs += 7 * MINUTE;
    const switched = await pm.timer.start({ task: 'TIM-2', switch: true });
    expect(switched.stopped?.id).toBe(first.timer.id);
    expect(switched.stopped?.durationSeconds).toBeGreaterThanOrEqual(7 * 60);
    expect(switched.timer.task?.key).toBe('TIM-2');
    expect(await runningTimers(owner.userId)).toBe(1);
    await pm.timer.cancel();
    expect(await pm.timer.get()).toBeNull();
    expect((await failure(pm.timer.cancel())).status).toBe(404);
  });

  it('50 concurrent starts leave exactly one running timer', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => pm.timer.start({ task: 'TIM-1' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as { status: number }).status).toBe(409);
    }
    expect(await runningTimers(owner.userId)).toBe(1);
    await pm.timer.cancel();
  });

  it('50 concurrent switches lose nothing: every stopped timer is an entry, one runs', async () => {
    const before = await pm.timeEntries.list(orgId, { limit: 100 }).toArray();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => pm.timer.start({ task: 'TIM-2', switch: true })),
    );
    expect(await runningTimers(owner.userId)).toBe(1);
    const after = await pm.timeEntries.list(orgId, { limit: 100 }).toArray();
    // 50 timers started; all but the last running one stopped into entries.
    expect(after.length - before.length).toBe(49);
    expect(results.filter((r) => r.stopped !== null)).toHaveLength(49);
    await pm.timer.cancel();
  });

  it('stops a forgotten timer in the past, never before it started nor in the future', async () => {
    const { timer } = await pm.timer.start({ task: 'TIM-1' });
    clock.offsetMs += 60 * MINUTE;
    const tooEarly = new Date(new Date(timer.startedAt).getTime() - MINUTE).toISOString();
    expect((await failure(pm.timer.stop({ at: tooEarly }))).errors[0]?.path).toBe('/body/at');
    const future = new Date(clock.now().getTime() + 10 * MINUTE).toISOString();
    expect((await failure(pm.timer.stop({ at: future }))).status).toBe(400);
    const at = new Date(new Date(timer.startedAt).getTime() + 20 * MINUTE).toISOString();
    const entry = await pm.timer.stop({ at });
    expect(entry.endedAt).toBe(at);
    expect(entry.durationSeconds).toBe(20 * 60);
  });

  it('flags a timer past the organization limit and mails its owner once', async () => {
    await pm.timeSettings.update(orgId, { longTimerMinutes: 60 });
    const { timer } = await pm.timer.start({ task: 'TIM-1' });
    expect(timer.overLimit).toBe(false);
    clock.offsetMs += 61 * MINUTE;
    expect((await pm.timer.get())?.overLimit).toBe(true);
    const mail = await server.mail.next(owner.email, (m) =>
      /timer has been running/.test(m.subject),
    );
    expect(mail.text).toContain('pm timer stop --at');
    clock.offsetMs += 10 * MINUTE;
    await new Promise((r) => setTimeout(r, 300));
    const told = await server.db.query(
      `SELECT 1 FROM events WHERE entity = 'timer' AND entity_id = $1 AND action = 'long_running_notified'`,
      [timer.id],
    );
    expect(told.rows).toHaveLength(1);
    await pm.timer.cancel();
    await pm.timeSettings.update(orgId, { longTimerMinutes: 600 });
  });

  it('an unknown task, an archived project and a viewer are refused', async () => {
    expect((await failure(pm.timer.start({ task: 'TIM-999' }))).errors[0]?.path).toBe('/body/task');
    await pm.projects.create(orgId, { key: 'OLD', name: 'Old' });
    await pm.projects.archive('OLD');
    expect((await failure(pm.timer.start({ project: 'OLD' }))).type).toMatch(/project-archived$/);
    const viewer = await signUp(server, 'timer-viewer');
    await addMember(server, owner, orgId, viewer, 'viewer');
    const asViewer = server.client({ token: viewer.accessToken, org: orgId });
    expect((await failure(asViewer.timer.start({ task: 'TIM-1' }))).status).toBe(403);
    expect(await runningTimers(viewer.userId)).toBe(0);
  });
});
