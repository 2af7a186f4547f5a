import { authedRoute, parseJson } from '@/lib/http/route';
import { notificationSettingsInput } from '@/lib/protocol';
import { getNotificationSettings, updateNotificationSettings } from '@/lib/chat/notification-settings';

/** My default notification level and whether notifications show message content. */
export const GET = authedRoute({ budget: 'read' }, async ({ ctx, userId }) => ({ body: await getNotificationSettings(ctx.db, userId) }));

export const PATCH = authedRoute({ budget: 'notificationSettings' }, async ({ req, ctx, userId }) => {
  const settings = await updateNotificationSettings(ctx.db, userId, await parseJson(req, notificationSettingsInput));
  await ctx.notifier.notificationSettingsChanged(userId, settings);
  return { body: settings };
});
