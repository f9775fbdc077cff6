import { type Paginated, type PaginateOptions, paginate } from '../paginate.js';
import type { ListQuery, Notification, NotificationSettings, WriteOptions } from '../types.js';
import { data, idempotency, pageQuery, type ResourceContext, segment } from './shared.js';

export interface NotificationsResource {
  /** Your in-app notifications, newest first; `unread: true` for those not marked read. */
  list(
    query?: ListQuery & { unread?: boolean },
    options?: PaginateOptions,
  ): Paginated<Notification>;
  markRead(id: string, options?: WriteOptions): Promise<Notification>;
  /** Whether follow-ups also come by e-mail. */
  settings(): Promise<NotificationSettings>;
  updateSettings(body: NotificationSettings, options?: WriteOptions): Promise<NotificationSettings>;
}

export function notificationsResource({ raw }: ResourceContext): NotificationsResource {
  return {
    list: (query = {}, options) =>
      paginate(
        async (cursor) =>
          data(
            await raw.GET('/v1/me/notifications', { params: { query: pageQuery(query, cursor) } }),
          ),
        options,
      ),
    markRead: async (id, options) =>
      data(
        await raw.POST('/v1/me/notifications/{notification}/read', {
          params: { path: { notification: segment('notification id', id) } },
          headers: idempotency(options),
        }),
      ),
    settings: async () => data(await raw.GET('/v1/me/notification-settings')),
    updateSettings: async (body, options) =>
      data(
        await raw.PATCH('/v1/me/notification-settings', { body, headers: idempotency(options) }),
      ),
  };
}
