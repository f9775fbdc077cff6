import { type PmClient, PmError } from '@pmkit/sdk';
import type { TestServer } from '@pmkit/server/testing';
import { expect } from 'vitest';

export const PASSWORD = 'a long enough password';
let counter = 0;

export interface Account {
  pm: PmClient;
  email: string;
  userId: string;
  accessToken: string;
}

export async function signUp(server: TestServer, prefix = 'user'): Promise<Account> {
  const pm = server.client();
  const email = `${prefix}${++counter}-${process.pid}@example.com`;
  const session = await pm.auth.register({
    email,
    password: PASSWORD,
    name: `${prefix} ${counter}`,
  });
  return { pm, email, userId: session.user.id, accessToken: session.accessToken };
}

/** The PmError a call fails with (the test fails if it succeeds). */
export async function failure(promise: PromiseLike<unknown>): Promise<PmError> {
  const error = await Promise.resolve(promise).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(PmError);
  return error as PmError;
}

/** Makes `member` a member of `org` with `role`, through a real invitation mail. */
export async function addMember(
  server: TestServer,
  owner: Account,
  org: string,
  member: Account,
  role: 'admin' | 'manager' | 'member' | 'viewer' | 'owner',
) {
  const mark = server.mail.mark();
  await owner.pm.invitations.create(org, { email: member.email, role });
  const token = await server.mail.token(member.email, /invited you/, { after: mark });
  await member.pm.invitations.accept(token);
}
