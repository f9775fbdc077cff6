import type { Invitation, Member, Org } from '@pmkit/sdk';
import { startTestServer, type TestServer } from '@pmkit/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliUser, cliUser, expectFailure, tsvRows } from './helpers.js';

// One organization through its life: invitations, roles, removal, transfer, rename, leaving.
let server: TestServer;
let ada: CliUser;
let grace: CliUser;
let bob: CliUser;
let dan: CliUser;
const password = 'correct horse battery staple';
const users: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  ada = cliUser(server);
  grace = cliUser(server);
  bob = cliUser(server);
  dan = cliUser(server);
  for (const [user, name] of [
    [ada, 'Ada'],
    [grace, 'Grace'],
    [bob, 'Bob'],
    [dan, 'Dan'],
  ] as const) {
    const email = `${name.toLowerCase()}@example.com`;
    const registered = await user.pm(
      ['auth', 'register', '--email', email, '--name', name, '--password-stdin'],
      { stdin: password },
    );
    expect(registered.code).toBe(0);
    users[email] = user.profile().user?.id as string;
  }
  expect((await ada.pm(['org', 'create', 'Acme', '--slug', 'acme', '--switch'])).code).toBe(0);
});
afterAll(async () => {
  await server?.close();
});

/** Invites `email` as Ada and returns the invitation and the token that was mailed. */
async function invite(email: string, role = 'member') {
  const mark = server.mail.mark();
  const result = await ada.pm(['org', 'invite', email, '--role', role, '--json']);
  expect(result.code).toBe(0);
  const token = await server.mail.token(email, /invited you/, { after: mark });
  return { invitation: JSON.parse(result.stdout) as Invitation, token, result };
}

async function members(): Promise<Member[]> {
  return JSON.parse((await ada.pm(['org', 'members', '--json'])).stdout) as Member[];
}

let graceInvitation: Invitation;
let graceToken: string;

describe('members and invitations', () => {
  it('org members lists the owner; an unknown org exits 4', async () => {
    const result = await ada.pm(['org', 'members']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.split('\n')[0]).toBe('Email\tName\tRole\tJoined\tUser Id');
    expect(tsvRows(result.stdout)).toEqual([
      [
        'ada@example.com',
        'Ada',
        'owner',
        expect.stringMatching(/^\d{4}-.+Z$/),
        users['ada@example.com'],
      ],
    ]);
    expectFailure(await ada.pm(['org', 'members', '--org', 'nope']), 4);
  });

  it('org invite creates an invitation and mails its token; a second one exits 5', async () => {
    const { invitation, token, result } = await invite('grace@example.com', 'manager');
    expect(invitation).toMatchObject({
      email: 'grace@example.com',
      role: 'manager',
      invitedBy: users['ada@example.com'],
    });
    expect(result.stderr).toBe('✓ Invited grace@example.com to acme as manager\n');
    expect(token).toMatch(/^pmi_/);
    graceInvitation = invitation;
    graceToken = token;
    expectFailure(await ada.pm(['org', 'invite', 'grace@example.com']), 5);
  });

  it('invite list shows pending invitations; a non-member exits 4', async () => {
    const result = await ada.pm(['invite', 'list']);
    expect(result.code).toBe(0);
    expect(tsvRows(result.stdout).map((row) => row.slice(0, 3))).toEqual([
      [graceInvitation.id, 'grace@example.com', 'manager'],
    ]);
    expectFailure(await grace.pm(['invite', 'list', '--org', 'acme']), 4);
  });

  it('invite resend mails a new token and retires the old one', async () => {
    const mark = server.mail.mark();
    const result = await ada.pm(['invite', 'resend', graceInvitation.id]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('✓ Mailed the invitation to grace@example.com again\n');
    const token = await server.mail.token('grace@example.com', /invited you/, { after: mark });
    expect(token).not.toBe(graceToken);
    expectFailure(await grace.pm(['invite', 'accept', graceToken]), 4);
    graceToken = token;
    expectFailure(await ada.pm(['invite', 'resend', '00000000-0000-4000-8000-000000000000']), 4);
  });

  it('invite accept joins the invited account (only it) and can switch to the org', async () => {
    // Another account's token is as unknown as a wrong one.
    expectFailure(await bob.pm(['invite', 'accept', graceToken]), 4);
    const result = await grace.pm(['invite', 'accept', graceToken, '--switch', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject<Partial<Org>>({
      slug: 'acme',
      role: 'manager',
    });
    expect(result.stderr).toBe('✓ Joined acme as manager and switched to it\n');
    expect(grace.profile().org).toBe('acme');
    expect((await members()).map((m) => m.email)).toEqual(['ada@example.com', 'grace@example.com']);
  });

  it('invite decline works without signing in; a used token exits 4', async () => {
    const { token } = await invite('bob@example.com');
    const anonymous = cliUser(server);
    const result = await anonymous.pm(['invite', 'decline', token]);
    expect(result).toMatchObject({ code: 0, stderr: '✓ Declined the invitation\n' });
    expectFailure(await anonymous.pm(['invite', 'decline', token]), 4);
    expectFailure(await bob.pm(['invite', 'accept', token]), 4);
  });

  it('invite revoke withdraws a pending invitation; again exits 4', async () => {
    const { invitation, token } = await invite('dan@example.com', 'viewer');
    const result = await ada.pm(['invite', 'revoke', invitation.id]);
    expect(result).toMatchObject({ code: 0, stderr: `✓ Revoked invitation ${invitation.id}\n` });
    expect(tsvRows((await ada.pm(['invite', 'list'])).stdout)).toEqual([]);
    expectFailure(await ada.pm(['invite', 'revoke', invitation.id]), 4);
    expectFailure(await dan.pm(['invite', 'accept', token]), 4);
  });

  it('org role changes a role by e-mail or user id; an unknown member exits 4', async () => {
    const { token } = await invite('dan@example.com', 'viewer');
    expect((await dan.pm(['invite', 'accept', token])).code).toBe(0);

    const byEmail = await ada.pm(['org', 'role', 'GRACE@example.com', 'admin', '--json']);
    expect(byEmail.code).toBe(0);
    expect(JSON.parse(byEmail.stdout)).toMatchObject({ email: 'grace@example.com', role: 'admin' });
    expect(byEmail.stderr).toBe('✓ grace@example.com is now admin in acme\n');

    const byId = await ada.pm(['org', 'role', users['dan@example.com'] as string, 'member']);
    expect(byId.code).toBe(0);
    expect(tsvRows(byId.stdout)[0]?.slice(0, 3)).toEqual(['dan@example.com', 'Dan', 'member']);

    const unknown = await ada.pm(['org', 'role', 'nobody@example.com', 'admin']);
    expect(unknown).toMatchObject({
      code: 4,
      stderr: 'error: nobody@example.com is not a member of acme\n',
    });
    expectFailure(await ada.pm(['org', 'role', users['bob@example.com'] as string, 'admin']), 4);
  });

  it('org remove takes a member out; a member without the right exits 3', async () => {
    expectFailure(await dan.pm(['org', 'remove', 'grace@example.com', '--org', 'acme']), 3);
    const result = await ada.pm(['org', 'remove', 'dan@example.com']);
    expect(result).toMatchObject({ code: 0, stderr: '✓ Removed dan@example.com from acme\n' });
    expect((await members()).map((m) => m.email)).toEqual(['ada@example.com', 'grace@example.com']);
    expectFailure(await dan.pm(['org', 'members', '--org', 'acme']), 4);
  });

  it('org transfer --yes hands ownership over; the former owner cannot do it again (exit 3)', async () => {
    const result = await ada.pm(['org', 'transfer', 'grace@example.com', '--yes', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ slug: 'acme', role: 'admin' });
    expect(result.stderr).toBe('✓ Grace <grace@example.com> now owns acme; you are admin\n');
    expect((await members()).map((m) => `${m.email} ${m.role}`)).toEqual([
      'ada@example.com admin',
      'grace@example.com owner',
    ]);
    expectFailure(await ada.pm(['org', 'transfer', 'grace@example.com', '--yes']), 3);
  });

  it('org rename changes name and slug and follows it in the profile; a taken slug exits 5', async () => {
    expect((await grace.pm(['org', 'create', 'Beta', '--slug', 'beta'])).code).toBe(0);
    expectFailure(await grace.pm(['org', 'rename', 'Acme', '--slug', 'beta']), 5);
    const result = await grace.pm(['org', 'rename', 'Acme Corp', '--slug', 'acme-corp', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ slug: 'acme-corp', name: 'Acme Corp' });
    expect(result.stderr).toBe('✓ Renamed acme-corp to "Acme Corp"\n');
    expect(grace.profile().org).toBe('acme-corp');
  });

  it('org leave leaves and forgets the current org; the last owner exits 5', async () => {
    expect((await ada.pm(['org', 'switch', 'acme-corp'])).code).toBe(0);
    const result = await ada.pm(['org', 'leave']);
    expect(result).toMatchObject({ code: 0, stderr: '✓ Left acme-corp\n' });
    expect(ada.profile().org).toBeUndefined();
    expectFailure(await ada.pm(['org', 'members', '--org', 'acme-corp']), 4);
    expectFailure(await grace.pm(['org', 'leave']), 5);
  });
});

describe('pm org current', () => {
  it('shows the organization commands act in (sent as PM-Org); 4 for one you are not in', async () => {
    const eve = cliUser(server);
    expect(
      (
        await eve.pm(
          [
            'auth',
            'register',
            '--email',
            'eve-current@example.com',
            '--name',
            'Eve',
            '--password-stdin',
          ],
          { stdin: 'a long enough password\n' },
        )
      ).code,
    ).toBe(0);
    expect((await eve.pm(['org', 'create', 'Eve Co', '--slug', 'eve-co', '--switch'])).code).toBe(
      0,
    );
    const current = await eve.pm(['org', 'current', '--json']);
    expect(current.code).toBe(0);
    expect(JSON.parse(current.stdout)).toMatchObject({ slug: 'eve-co', role: 'owner' });
    const other = await eve.pm(['org', 'current', '--json'], { env: { PM_ORG: 'acme' } });
    expect(other.code).toBe(4);
  });
});
