// How the notification levels (lib/chat/notification-policy.ts) read in the UI.
import type { NotificationLevel } from '../chat/notification-policy';

export const NOTIFICATION_LEVEL_LABELS: Record<NotificationLevel, string> = {
  all: 'All messages',
  mentions: 'Mentions and direct messages',
  none: 'Nothing',
};
