/** Who a request acts for, once its credentials were checked. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  sessionId: string;
}

/** A script or CI job: bound to one organization, scoped, acting for the user who created it. */
export interface ApiKeyPrincipal {
  kind: 'api_key';
  keyId: string;
  orgId: string;
  /** The key's creator: the key never acts with more than their role. */
  userId: string;
  scopes: string[];
}

export type Principal = UserPrincipal | ApiKeyPrincipal;

/** The actor recorded in the events table. */
export function actorOf(principal: Principal | null): {
  kind: 'user' | 'api_key' | 'anonymous';
  id: string | null;
} {
  if (!principal) return { kind: 'anonymous', id: null };
  return principal.kind === 'user'
    ? { kind: 'user', id: principal.userId }
    : { kind: 'api_key', id: principal.keyId };
}
