// Read and delivered receipts as per-participant cursors (the newest message read / delivered, by
// seq), and unread counts derived from them. Cursors only move forward: an older message never
// moves one back, even when receipts arrive out of order.
import type { Db } from '../db/open';
import { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import type { UnreadDto } from '../protocol';
import { requireParticipant } from './membership';

export type ReceiptResult = {
  /** Whether this receipt moved the cursor (false: it was already at or past the message). */
  advanced: boolean;
  /** Whether the delivered cursor moved too (reading a message implies it was delivered). */
  deliveredAdvanced: boolean;
  /** The message's seq: the cursor is now at or past it. */
  seq: number;
  at: Date;
};

async function findMessageIn(db: Db, conversationId: string, messageId: string) {
  const message = await db.message.findFirst({ where: { id: messageId, conversationId }, select: { id: true, seq: true } });
  if (!message) throw new AppError('not_found', 'Message not found.');
  return message;
}

/** Moves a cursor forward to the message if it is behind (by seq); one atomic UPDATE. */
async function advanceCursor(
  db: Db,
  kind: 'read' | 'delivered',
  conversationId: string,
  userId: string,
  message: { id: string; seq: bigint },
  at: Date,
): Promise<boolean> {
  const [idField, seqField, whenField] =
    kind === 'read'
      ? (['lastReadMessageId', 'lastReadSeq', 'readAt'] as const)
      : (['lastDeliveredMessageId', 'lastDeliveredSeq', 'deliveredAt'] as const);
  const { count } = await db.participant.updateMany({
    where: { conversationId, userId, OR: [{ [seqField]: null }, { [seqField]: { lt: message.seq } }] },
    data: { [idField]: message.id, [seqField]: message.seq, [whenField]: at },
  });
  return count > 0;
}

export async function markRead(db: Db, userId: string, conversationId: string, messageId: string): Promise<ReceiptResult> {
  await requireParticipant(db, conversationId, userId);
  const message = await findMessageIn(db, conversationId, messageId);
  const at = new Date();
  const advanced = await advanceCursor(db, 'read', conversationId, userId, message, at);
  const deliveredAdvanced = await advanceCursor(db, 'delivered', conversationId, userId, message, at);
  return { advanced, deliveredAdvanced, seq: Number(message.seq), at };
}

export async function markDelivered(db: Db, userId: string, conversationId: string, messageId: string): Promise<ReceiptResult> {
  await requireParticipant(db, conversationId, userId);
  const message = await findMessageIn(db, conversationId, messageId);
  const at = new Date();
  const advanced = await advanceCursor(db, 'delivered', conversationId, userId, message, at);
  return { advanced, deliveredAdvanced: advanced, seq: Number(message.seq), at };
}

/** Unread messages of one member in one conversation, and how many of them mention the member. */
export type UnreadCount = { messages: number; mentions: number };

/**
 * Unread messages of the participant rows that `which` selects (`p`): messages from others (timeline
 * notes are not news), not deleted, in the timeline (a thread-only reply is its thread's news: lib/chat/threads.ts), after
 * the read cursor (by seq) and sent since the participant joined (by time: what was said before someone joined is not news to them). An index range on (conversationId, seq).
 * Mentions among them: the member named, or @all / @here (which stay in the history for everyone,
 * online when it was sent or not).
 */
async function unreadOf(db: Db, which: Prisma.Sql): Promise<{ conversationId: string; userId: string; unread: UnreadCount }[]> {
  const rows = await db.$queryRaw<{ conversationId: string; userId: string; messages: bigint | number; mentions: bigint | number }[]>`
    SELECT p."conversationId"::text AS "conversationId", p."userId"::text AS "userId", u.messages, u.mentions
    FROM "Participant" p
    CROSS JOIN LATERAL (
      SELECT count(*) AS messages,
             count(*) FILTER (WHERE p."userId" = ANY(m."mentionedUserIds") OR m."mentionsEveryone" IS NOT NULL) AS mentions
      FROM "Message" m
      WHERE m."conversationId" = p."conversationId"
        AND m."senderId" <> p."userId"
        AND m."deletedAt" IS NULL
        AND m."systemEvent" IS NULL
        AND (m."threadRootId" IS NULL OR m."alsoInConversation")
        AND m.seq > coalesce(p."lastReadSeq", 0)
        AND m."createdAt" >= p."joinedAt") u
    WHERE ${which}`;
  return rows.map(({ conversationId, userId, messages, mentions }) => ({
    conversationId,
    userId,
    unread: { messages: Number(messages), mentions: Number(mentions) },
  }));
}

/** Unread messages and mentions per conversation for a user (all theirs, or these). One query. */
export async function unreadCountsWithMentions(db: Db, userId: string, conversationIds?: readonly string[]): Promise<Map<string, UnreadCount>> {
  if (conversationIds && conversationIds.length === 0) return new Map();
  const only = conversationIds ? Prisma.sql`AND p."conversationId" = ANY(${[...conversationIds]}::uuid[])` : Prisma.empty;
  const rows = await unreadOf(db, Prisma.sql`p."userId" = ${userId}::uuid ${only}`);
  return new Map(rows.map((row) => [row.conversationId, row.unread]));
}

/** Unread messages per conversation for a user (all theirs, or these). One query. */
export async function unreadCounts(db: Db, userId: string, conversationIds?: readonly string[]): Promise<Map<string, number>> {
  const counts = await unreadCountsWithMentions(db, userId, conversationIds);
  return new Map([...counts].map(([conversationId, unread]) => [conversationId, unread.messages]));
}

/** Unread messages and mentions of one conversation per member, for these members. One query. */
export async function unreadCountsOfMembers(db: Db, conversationId: string, userIds: readonly string[]): Promise<Map<string, UnreadCount>> {
  if (userIds.length === 0) return new Map();
  const rows = await unreadOf(db, Prisma.sql`p."conversationId" = ${conversationId}::uuid AND p."userId" = ANY(${[...userIds]}::uuid[])`);
  return new Map(rows.map((row) => [row.userId, row.unread]));
}

export async function unreadSummary(db: Db, userId: string): Promise<UnreadDto> {
  const counts = await unreadCountsWithMentions(db, userId);
  const byConversation: Record<string, number> = {};
  const mentionsByConversation: Record<string, number> = {};
  let total = 0;
  let mentions = 0;
  for (const [conversationId, unread] of counts) {
    byConversation[conversationId] = unread.messages;
    mentionsByConversation[conversationId] = unread.mentions;
    total += unread.messages;
    mentions += unread.mentions;
  }
  return { total, byConversation, mentions, mentionsByConversation };
}
