// A user's own notification settings: the default level of conversations without their own, and
// whether notifications show message content. The per-conversation level is a participant
// setting (./conversations.ts, updateSettings); the rule that combines them is
// ./notification-policy.ts.
import type { Db } from '../db/open';
import { AppError } from '../errors';
import type { NotificationSettingsDto } from '../protocol';
import type { NotificationLevel } from './notification-policy';

const settingsSelect = { notificationLevel: true, notificationPreviews: true } as const;

export async function getNotificationSettings(db: Db, userId: string): Promise<NotificationSettingsDto> {
  const user = await db.user.findUnique({ where: { id: userId }, select: settingsSelect });
  if (!user) throw new AppError('not_found');
  return user;
}

export async function updateNotificationSettings(
  db: Db,
  userId: string,
  changes: { notificationLevel?: NotificationLevel; notificationPreviews?: boolean },
): Promise<NotificationSettingsDto> {
  return db.user.update({ where: { id: userId }, data: changes, select: settingsSelect });
}
