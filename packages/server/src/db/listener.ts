import pg from 'pg';
import type { ChannelListener } from './types.js';

/**
 * One connection per database that LISTENs on every channel asked for. When it drops, it
 * reconnects with backoff and tells each listener it may have missed notices (onGap).
 */
export class PostgresListener {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly channels = new Map<string, Set<ChannelListener>>();
  private closed = false;
  private retryMs = 100;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly connectionString: string) {}

  async listen(channel: string, listener: ChannelListener): Promise<() => Promise<void>> {
    let listeners = this.channels.get(channel);
    const first = !listeners;
    if (!listeners) {
      listeners = new Set();
      this.channels.set(channel, listeners);
    }
    listeners.add(listener);
    const client = await this.connect();
    if (first) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    return async () => {
      listeners.delete(listener);
      if (listeners.size > 0 || this.channels.get(channel) !== listeners) return;
      this.channels.delete(channel);
      await this.client?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
    };
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.connectionString });
      client.on('notification', (message) => {
        for (const listener of this.channels.get(message.channel) ?? [])
          listener.onMessage(message.payload ?? '');
      });
      client.on('error', () => this.lost(client));
      client.on('end', () => this.lost(client));
      try {
        await client.connect();
        for (const channel of this.channels.keys())
          await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch (error) {
        await client.end().catch(() => {});
        throw error;
      } finally {
        this.connecting = undefined;
      }
      this.client = client;
      this.retryMs = 100;
      return client;
    })();
    return this.connecting;
  }

  private lost(client: pg.Client) {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => {});
    if (!this.closed) this.reconnect();
  }

  private reconnect() {
    this.retryTimer = setTimeout(() => {
      this.connect().then(
        () => {
          for (const listeners of this.channels.values())
            for (const listener of listeners) listener.onGap?.();
        },
        () => {
          this.retryMs = Math.min(this.retryMs * 2, 10_000);
          if (!this.closed) this.reconnect();
        },
      );
    }, this.retryMs);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}
