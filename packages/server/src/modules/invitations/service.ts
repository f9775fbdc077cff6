import type { components } from '@pmkit/sdk/schema';
import type { OrgContext } from '../../context/org.js';
import type { Database } from '../../db/types.js';
import { conflict, HttpError, notFound } from '../../http/problem.js';
import type { Clock } from '../../lib/clock.js';
import { normalizeEmail } from '../../lib/email.js';
import { type Actor, type RequestMeta, recordEvent } from '../../lib/events.js';
import { byCreation } from '../../lib/keyset.js';
import type { Role } from '../access/permissions.js';
import type { AccountService } from '../auth/account-service.js';
import { hashToken, newOpaqueToken } from '../auth/tokens.js';
import type { Notifier } from '../mail/notifier.js';
import { enqueueMail } from '../mail/outbox.js';
import { invitationMail } from '../mail/templates.js';
import type { MemberService } from '../members/service.js';
import type { OrgService } from '../orgs/service.js';
import * as store from './store.js';

type Invitation = components['schemas']['Invitation'];
type Org = components['schemas']['Org'];

const TTL_SECONDS = 7 * 24 * 60 * 60;

const toInvitation = (row: store.InvitationRow): Invitation => ({
  id: row.id,
  email: row.email,
  role: row.role,
  invitedBy: row.invited_by,
  createdAt: row.created_at.toISOString(),
  expiresAt: row.expires_at.toISOString(),
});

export class InvitationService {
  constructor(
    private readonly db: Database,
    private readonly mail: Notifier,
    private readonly publicUrl: string,
    private readonly clock: Clock,
    /** The modules an invitation's use cases span; called inside this module's transactions. */
    private readonly peers: { account: AccountService; members: MemberService; orgs: OrgService },
  ) {}

  private expiry(): Date {
    return new Date(this.clock.now().getTime() + TTL_SECONDS * 1000);
  }

  async list(org: OrgContext, query: { limit?: number; cursor?: string }) {
    const keyset = byCreation(query, 'newest');
    const rows = await store.listPending(this.db, org.id, keyset, this.clock.now());
    return keyset.page(rows, toInvitation);
  }

  async create(
    org: OrgContext,
    input: { email: string; role?: Role },
    inviterId: string,
    actor: Actor,
    meta: RequestMeta,
  ) {
    const role = input.role ?? 'member';
    if (role === 'owner' && org.role !== 'owner') {
      throw new HttpError(403, 'Only an Owner may invite an Owner', { type: 'missing-permission' });
    }
    const invitation = await this.db.transaction(async (tx) => {
      if (await this.peers.members.hasMemberWithEmail(tx, org.id, input.email))
        throw conflict(`${input.email} is already a member`);
      const token = newOpaqueToken('pmi_');
      const row = await store.insertInvitation(tx, {
        orgId: org.id,
        email: input.email.trim(),
        role,
        invitedBy: inviterId,
        tokenHash: token.hash,
        expiresAt: this.expiry(),
      });
      if (!row)
        throw conflict(`${input.email} already has a pending invitation; resend it instead`);
      await this.mailInvitation(tx, org, row, token.token, inviterId);
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'invitation',
        entityId: row.id,
        action: 'created',
        changes: { email: row.email, role },
        meta,
      });
      return row;
    });
    this.mail.nudge();
    return toInvitation(invitation);
  }

  async revoke(org: OrgContext, id: string, actor: Actor, meta: RequestMeta): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await this.pending(tx, org.id, id);
      await store.setStatus(tx, org.id, row.id, 'revoked');
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'invitation',
        entityId: row.id,
        action: 'revoked',
        meta,
      });
    });
  }

  async resend(org: OrgContext, id: string, inviterId: string, actor: Actor, meta: RequestMeta) {
    const renewed = await this.db.transaction(async (tx) => {
      const row = await this.pending(tx, org.id, id, { allowExpired: true });
      const token = newOpaqueToken('pmi_');
      const next = await store.renew(tx, org.id, row.id, {
        tokenHash: token.hash,
        expiresAt: this.expiry(),
      });
      await this.mailInvitation(tx, org, next, token.token, inviterId);
      await recordEvent(tx, {
        orgId: org.id,
        actor,
        entity: 'invitation',
        entityId: row.id,
        action: 'resent',
        meta,
      });
      return next;
    });
    this.mail.nudge();
    return toInvitation(renewed);
  }

  /** Joins the invited organization; the account's address must be the one invited. */
  async accept(token: string, userId: string, meta: RequestMeta): Promise<Org> {
    return this.db.transaction(async (tx) => {
      const row = await this.byToken(tx, token);
      const user = await this.peers.account.profile(tx, userId);
      // Someone else's invitation is as good as none: 404, so a token reveals nothing.
      if (!user || normalizeEmail(user.email) !== row.email_normalized)
        throw notFound('No such invitation');
      const joined = await this.peers.members.add(tx, row.org_id, userId, row.role);
      if (!joined) throw conflict('You are already a member of this organization');
      await store.setStatus(tx, row.org_id, row.id, 'accepted');
      await recordEvent(tx, {
        orgId: row.org_id,
        actor: { kind: 'user', id: userId },
        entity: 'member',
        entityId: userId,
        action: 'joined',
        changes: { role: row.role, invitation: row.id },
        meta,
      });
      return (await this.peers.orgs.ofUser(tx, userId, row.org_id))!;
    });
  }

  async decline(token: string, meta: RequestMeta): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await this.byToken(tx, token);
      await store.setStatus(tx, row.org_id, row.id, 'declined');
      await recordEvent(tx, {
        orgId: row.org_id,
        actor: { kind: 'anonymous', id: null },
        entity: 'invitation',
        entityId: row.id,
        action: 'declined',
        meta,
      });
    });
  }

  /** What a pending invitation is for, shown to whoever holds its token. */
  async preview(token: string): Promise<components['schemas']['InvitationPreview']> {
    const row = await store.findPendingByToken(this.db, hashToken(token), this.clock.now());
    if (!row) throw notFound('No such invitation, or it was already used or has expired');
    return {
      email: row.email,
      orgName: row.org_name,
      role: row.role,
      expiresAt: row.expires_at.toISOString(),
    };
  }

  /** For registration by invitation: is this a live invitation for this address? */
  async isValidFor(token: string, email: string): Promise<boolean> {
    return store.isLiveFor(this.db, hashToken(token), normalizeEmail(email), this.clock.now());
  }

  private expired(row: store.InvitationRow): boolean {
    return row.expires_at.getTime() <= this.clock.now().getTime();
  }

  private async byToken(tx: Parameters<typeof store.lockByToken>[0], token: string) {
    const row = await store.lockByToken(tx, hashToken(token));
    if (row?.status !== 'pending') throw notFound('No such invitation, or it was already used');
    if (this.expired(row)) throw notFound('This invitation has expired; ask for it to be resent');
    return row;
  }

  private async pending(
    tx: Parameters<typeof store.lockById>[0],
    orgId: string,
    id: string,
    options: { allowExpired?: boolean } = {},
  ) {
    const row = await store.lockById(tx, orgId, id);
    if (row?.status !== 'pending' || (this.expired(row) && !options.allowExpired)) {
      throw notFound('No such pending invitation');
    }
    return row;
  }

  private async mailInvitation(
    tx: Parameters<typeof enqueueMail>[0],
    org: OrgContext,
    row: store.InvitationRow,
    token: string,
    inviterId: string,
  ) {
    const inviter = await this.peers.account.profile(tx, inviterId);
    await enqueueMail(
      tx,
      invitationMail({
        to: row.email,
        orgName: org.name,
        inviter: inviter?.name ?? 'Someone',
        role: row.role,
        token,
        publicUrl: this.publicUrl,
        expiresAt: row.expires_at,
      }),
    );
  }
}
