// Whether a message should notify one member: one rule for the in-page desktop notification
// (client) and for Web Push (server), so the two never disagree. Pure; no I/O.

export const NOTIFICATION_LEVELS = ['all', 'mentions', 'none'] as const;
export type NotificationLevel = (typeof NOTIFICATION_LEVELS)[number];

export interface NotificationCandidate {
  /** The member's level for this conversation; null follows their default. */
  conversationLevel: NotificationLevel | null;
  /** The member's default level (User.notificationLevel). */
  defaultLevel: NotificationLevel;
  /** The conversation is muted for this member now (Participant.mutedUntil in the future). */
  muted: boolean;
  /** A one-to-one conversation: every message there is addressed to the member. */
  isDirect: boolean;
  /** The member is named in the message, or reached by @all, or by @here while online. */
  mentioned: boolean;
  /** The member wrote the message. */
  isSender: boolean;
}

export function effectiveLevel(conversationLevel: NotificationLevel | null, defaultLevel: NotificationLevel): NotificationLevel {
  return conversationLevel ?? defaultLevel;
}

export function shouldNotify(candidate: NotificationCandidate): boolean {
  if (candidate.isSender || candidate.muted) return false;
  switch (effectiveLevel(candidate.conversationLevel, candidate.defaultLevel)) {
    case 'all':
      return true;
    case 'mentions':
      // "Only mentions and direct messages."
      return candidate.mentioned || candidate.isDirect;
    case 'none':
      return false;
  }
}

/** Whether a member is reached by a message's mentions. `online` matters for @here only. */
export function isMentioned(
  message: { mentionedUserIds: readonly string[]; mentionsEveryone: 'here' | 'all' | null },
  userId: string,
  online: boolean,
): boolean {
  if (message.mentionedUserIds.includes(userId)) return true;
  if (message.mentionsEveryone === 'all') return true;
  return message.mentionsEveryone === 'here' && online;
}
