import type { components } from './generated/schema.js';

export type Session = components['schemas']['Session'];
export type SessionTokens = Pick<Session, 'accessToken' | 'refreshToken'>;

type State =
  | { kind: 'none' }
  | { kind: 'static'; token: string }
  | { kind: 'session'; tokens: SessionTokens };

/**
 * The bearer credential of one client. A session can refresh itself; refreshes are single-flight,
 * so requests that expire together share one `/v1/auth/refresh` call.
 */
export class Credentials {
  private state: State;
  private inflight: Promise<void> | undefined;

  constructor(
    initial: { apiKey?: string; token?: string; session?: SessionTokens },
    private readonly exchange: (refreshToken: string) => Promise<Session>,
    private readonly onSession?: (session: Session) => void | Promise<void>,
  ) {
    const token = initial.apiKey ?? initial.token;
    if (token) this.state = { kind: 'static', token };
    else if (initial.session) this.state = { kind: 'session', tokens: { ...initial.session } };
    else this.state = { kind: 'none' };
  }

  bearer(): string | undefined {
    if (this.state.kind === 'static') return this.state.token;
    if (this.state.kind === 'session') return this.state.tokens.accessToken;
    return undefined;
  }

  canRefresh(): boolean {
    return this.state.kind === 'session';
  }

  async adopt(session: Session): Promise<void> {
    this.state = {
      kind: 'session',
      tokens: { accessToken: session.accessToken, refreshToken: session.refreshToken },
    };
    await this.onSession?.(session);
  }

  clear(): void {
    this.state = { kind: 'none' };
  }

  /** Refreshes the session unless another request already replaced `expiredToken`. */
  async refreshAfter(expiredToken: string | undefined): Promise<void> {
    if (this.state.kind !== 'session') return;
    if (this.state.tokens.accessToken !== expiredToken) return;
    if (!this.inflight) {
      const refreshToken = this.state.tokens.refreshToken;
      this.inflight = this.exchange(refreshToken)
        .then((session) => this.adopt(session))
        .finally(() => {
          this.inflight = undefined;
        });
    }
    await this.inflight;
  }
}
