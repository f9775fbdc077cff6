/** Who a request acts for, once its credentials were checked. */
export interface UserPrincipal {
  kind: 'user';
  userId: string;
  sessionId: string;
}

export type Principal = UserPrincipal;

/** The actor recorded in the events table. */
export function actorOf(principal: Principal | null): {
  kind: 'user' | 'anonymous';
  id: string | null;
} {
  return principal
    ? { kind: principal.kind, id: principal.userId }
    : { kind: 'anonymous', id: null };
}
