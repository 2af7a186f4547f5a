// Whether a message arriving in the page should notify me: the one rule the server's Web Push
// also follows (lib/chat/notification-policy.ts), fed from what the client holds — the
// conversation as I see it (my level, my mute), my default (useNotificationSettings) and the
// message's mentions.
import { isMentioned, shouldNotify, type NotificationLevel } from '../chat/notification-policy';
import type { ConversationDto, MessageDto } from '../protocol';
import { isMuted } from './hooks/useDocumentTitle';

export type MentionFields = { mentionedUserIds?: readonly string[]; mentionsEveryone?: 'here' | 'all' | null };

export function notifiesMe(
  conversation: Pick<ConversationDto, 'type' | 'mutedUntil' | 'notificationLevel'>,
  message: Pick<MessageDto, 'senderId'> & MentionFields,
  meId: string,
  defaultLevel: NotificationLevel,
  now = Date.now(),
): boolean {
  // This page is open, so I am online: @here reaches me.
  const mentioned = isMentioned({ mentionedUserIds: message.mentionedUserIds ?? [], mentionsEveryone: message.mentionsEveryone ?? null }, meId, true);
  return shouldNotify({
    conversationLevel: conversation.notificationLevel ?? null,
    defaultLevel,
    muted: isMuted(conversation.mutedUntil, now),
    isDirect: conversation.type === 'private',
    mentioned,
    isSender: message.senderId === meId,
  });
}
