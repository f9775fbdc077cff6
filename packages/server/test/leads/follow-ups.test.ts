import { movableClock, startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, addMember, failure, signUp } from '../identity/helpers.js';

let server: TestServer;
let owner: Account;
let member: Account;
let org: string;
const clock = movableClock();
const HOUR = 3_600_000;

beforeAll(async () => {
  server = await startTestServer({ clock });
  owner = await signUp(server, 'fu-owner');
  member = await signUp(server, 'fu-member');
  org = (await owner.pm.orgs.create({ name: 'Follow-up Org' })).id;
  await addMember(server, owner, org, member, 'member');
});
afterAll(() => server.close());

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('timed out');
}

describe('follow-ups', () => {
  it('notify the owner in the app, and by e-mail if they want it, once, when due by the clock', async () => {
    expect(await member.pm.notifications.settings()).toEqual({ followUpEmail: true });
    await owner.pm.notifications.updateSettings({ followUpEmail: false });
    const due = new Date(clock.now().getTime() + HOUR).toISOString();
    const mine = await member.pm.leads.create(org, {
      name: 'Call me',
      email: 'call@example.com',
      nextFollowUpAt: due,
    });
    await owner.pm.leads.create(org, {
      name: 'Owner lead',
      email: 'o@example.com',
      nextFollowUpAt: due,
    });
    await owner.pm.leads.create(org, {
      name: 'Later',
      email: 'later@example.com',
      nextFollowUpAt: new Date(clock.now().getTime() + 5 * HOUR).toISOString(),
    });
    expect(await member.pm.notifications.list().toArray()).toEqual([]);
    const mark = server.mail.mark();
    clock.offsetMs += 2 * HOUR;
    const [notification] = await until(async () => {
      const items = await member.pm.notifications.list().toArray();
      return items.length ? items : undefined;
    });
    expect(notification).toMatchObject({
      kind: 'lead.follow_up',
      orgId: org,
      leadId: mine.id,
      title: 'Follow up with Call me',
      readAt: null,
    });
    const mail = await server.mail.next(
      member.email,
      (m) => /Follow up with Call me/.test(m.subject),
      {
        after: mark,
        timeoutMs: 20_000,
      },
    );
    expect(mail.text).toContain(mine.id);
    const ownerNotes = await until(async () => {
      const items = await owner.pm.notifications.list().toArray();
      return items.length ? items : undefined;
    });
    expect(ownerNotes.map((n) => n.title)).toEqual(['Follow up with Owner lead']);
    // The owner said no to e-mail.
    expect(
      server.mail.received.slice(mark).filter((m) => m.to.toLowerCase() === owner.email),
    ).toEqual([]);

    const read = await member.pm.notifications.markRead(notification!.id);
    expect(read.readAt).not.toBeNull();
    expect(await member.pm.notifications.list({ unread: true }).toArray()).toEqual([]);
    expect((await failure(owner.pm.notifications.markRead(notification!.id))).status).toBe(404);

    // Once per due date: a new date notifies again.
    await member.pm.leads.update(mine.id, {
      nextFollowUpAt: new Date(clock.now().getTime() + HOUR).toISOString(),
    });
    clock.offsetMs += 2 * HOUR;
    await until(async () => {
      const items = await member.pm.notifications.list().toArray();
      return items.length === 2 ? items : undefined;
    });
    const { rows } = await server.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM notifications WHERE lead_id = $1 AND kind = 'lead.follow_up'",
      [mine.id],
    );
    expect(Number(rows[0]!.n)).toBe(2);
    // The same sweep passed the owner's lead again: it stays notified once.
    expect((await owner.pm.notifications.list().toArray()).map((n) => n.title)).toEqual([
      'Follow up with Owner lead',
    ]);
  });
});
