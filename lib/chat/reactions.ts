// Emoji reactions: any member adds or removes theirs on a message of the conversation. A
// reaction changes no conversation state (no activity, no unread count, no last message): it is
// a row of its own, told to the conversation's room as a change (reactionChanged).
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { LIMITS } from '../protocol';
import { requireParticipant } from './membership';

export type ReactionChange = { conversationId: string; messageId: string; emoji: string; userId: string; added: boolean; changed: boolean };

/** The message, if the user is a member of its conversation; "not found" for anyone else. */
async function requireReactable(db: Db, userId: string, messageId: string) {
  const message = await db.message.findUnique({ where: { id: messageId }, select: { conversationId: true, deletedAt: true, systemEvent: true } });
  if (!message) throw new AppError('not_found', 'Message not found.');
  await requireParticipant(db, message.conversationId, userId);
  return message;
}

export async function addReaction(db: Db, userId: string, messageId: string, emoji: string): Promise<ReactionChange> {
  const message = await requireReactable(db, userId, messageId);
  if (message.deletedAt) throw new AppError('conflict', 'A deleted message cannot be reacted to.');
  if (message.systemEvent !== null) throw new AppError('bad_request', 'A timeline note cannot be reacted to.');
  // The per-user cap is checked in the INSERT itself, so a burst cannot pass it.
  const inserted = await db.$executeRaw`
    INSERT INTO "Reaction" ("messageId", "userId", emoji)
    SELECT ${messageId}::uuid, ${userId}::uuid, ${emoji}
    WHERE (SELECT count(*) FROM "Reaction" WHERE "messageId" = ${messageId}::uuid AND "userId" = ${userId}::uuid) < ${LIMITS.reactionsPerUserPerMessage}
    ON CONFLICT DO NOTHING`;
  const change = { conversationId: message.conversationId, messageId, emoji, userId, added: true };
  if (inserted > 0) return { ...change, changed: true };
  const existing = await db.reaction.findUnique({ where: { messageId_userId_emoji: { messageId, userId, emoji } }, select: { emoji: true } });
  if (existing) return { ...change, changed: false };
  throw new AppError('bad_request', `At most ${LIMITS.reactionsPerUserPerMessage} different reactions per message.`);
}

export async function removeReaction(db: Db, userId: string, messageId: string, emoji: string): Promise<ReactionChange> {
  const message = await requireReactable(db, userId, messageId);
  const { count } = await db.reaction.deleteMany({ where: { messageId, userId, emoji } });
  return { conversationId: message.conversationId, messageId, emoji, userId, added: false, changed: count > 0 };
}
