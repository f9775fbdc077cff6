import { actorOf } from '../../context/principal.js';
import type { Handlers } from '../../http/handler-types.js';
import { requestMeta } from '../../lib/events.js';
import { requirePrincipal } from '../auth/authenticate.js';
import type { NotificationService } from './service.js';

export function notificationHandlers(
  notifications: NotificationService,
): Pick<
  Handlers,
  | 'listNotifications'
  | 'markNotificationRead'
  | 'getNotificationSettings'
  | 'updateNotificationSettings'
> {
  return {
    listNotifications: async ({ principal, query }) => ({
      status: 200,
      body: await notifications.list(requirePrincipal(principal), query),
    }),
    markNotificationRead: async ({ principal, params, ctx }) => ({
      status: 200,
      body: await notifications.markRead(
        requirePrincipal(principal),
        params.notification,
        actorOf(principal),
        requestMeta(ctx),
      ),
    }),
    getNotificationSettings: async ({ principal }) => ({
      status: 200,
      body: await notifications.settings(requirePrincipal(principal)),
    }),
    updateNotificationSettings: async ({ principal, body, ctx }) => ({
      status: 200,
      body: await notifications.updateSettings(
        requirePrincipal(principal),
        body,
        actorOf(principal),
        requestMeta(ctx),
      ),
    }),
  };
}
