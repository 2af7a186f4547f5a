// Reactions on a cached message: a change (someone added or removed an emoji) applied as a set
// operation, so applying one twice, or one the loaded copy already reflects, changes nothing.
import type { MessageDto, ReactionDto } from '../protocol';

export type ReactionChange = { messageId: string; emoji: string; userId: string; added: boolean };

export function applyReaction(reactions: readonly ReactionDto[], { emoji, userId, added }: Omit<ReactionChange, 'messageId'>): ReactionDto[] {
  const index = reactions.findIndex((r) => r.emoji === emoji);
  const current = reactions[index];
  if (added) {
    if (current?.userIds.includes(userId)) return reactions as ReactionDto[];
    if (!current) return [...reactions, { emoji, userIds: [userId] }];
    return reactions.map((r, i) => (i === index ? { emoji, userIds: [...r.userIds, userId] } : r));
  }
  if (!current?.userIds.includes(userId)) return reactions as ReactionDto[];
  const userIds = current.userIds.filter((id) => id !== userId);
  return userIds.length ? reactions.map((r, i) => (i === index ? { emoji, userIds } : r)) : reactions.filter((_, i) => i !== index);
}

export function withReaction(message: MessageDto, change: ReactionChange): MessageDto {
  if (message.id !== change.messageId) return message;
  const reactions = applyReaction(message.reactions, change);
  return reactions === message.reactions ? message : { ...message, reactions };
}

/** Recently used emoji, newest first (kept in localStorage by the picker). */
export function rememberEmoji(recent: readonly string[], emoji: string, max = 8): string[] {
  return [emoji, ...recent.filter((e) => e !== emoji)].slice(0, max);
}
