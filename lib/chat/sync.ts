// Catching up after a (re)connect in one request (POST /api/sync): the user's conversation list,
// and for each conversation the client names, the messages after the seq it holds. However many
// conversations, a fixed handful of statements: the list's own, and one for all the messages.
import type { Db } from '../db/open';
import { Prisma } from '../db/generated/client';
import { LIMITS, type MessageDto, type SyncDto, type SyncInput } from '../protocol';
import { listConversations, listLeftConversations } from './conversations';
import { toMessageDto } from './dto';
import { readMessageRows } from './message-rows';

export async function syncConversations(db: Db, userId: string, input: SyncInput): Promise<SyncDto> {
  const cursors = Object.entries(input.conversations);
  const take = LIMITS.syncMessagesPerConversation;
  const [conversations, left, rows] = await Promise.all([
    listConversations(db, userId),
    listLeftConversations(db, userId),
    messagesAfter(db, userId, cursors, take + 1),
  ]);

  const byConversation = new Map<string, MessageDto[]>();
  for (const row of rows) {
    const list = byConversation.get(row.conversationId) ?? [];
    list.push(toMessageDto(row));
    byConversation.set(row.conversationId, list);
  }
  // Only conversations the user is in, as the list says, or was removed from and still lists (up
  // to their removal); a named one they left is left out.
  const memberOf = new Set([...conversations, ...left].map((conversation) => conversation.id));
  const messages: SyncDto['messages'] = {};
  for (const [conversationId] of cursors) {
    if (!memberOf.has(conversationId)) continue;
    const newer = byConversation.get(conversationId) ?? [];
    messages[conversationId] = { messages: newer.slice(0, take), hasMore: newer.length > take };
  }
  return { conversations, left, messages };
}

/**
 * Up to `take` messages after each (conversation, seq) cursor, oldest first, in conversations the
 * user is a participant of, or was removed from and still lists (up to their removal's note): one
 * statement, an index range on (conversationId, seq) per cursor.
 */
function messagesAfter(db: Db, userId: string, cursors: [string, number][], take: number) {
  if (cursors.length === 0) return Promise.resolve([]);
  const ids = cursors.map(([conversationId]) => conversationId);
  const seqs = cursors.map(([, seq]) => seq);
  return readMessageRows(
    db,
    Prisma.sql`(SELECT newer.* FROM unnest(${ids}::uuid[], ${seqs}::bigint[]) AS cursor("conversationId", seq)
      CROSS JOIN LATERAL (
        SELECT CASE WHEN EXISTS (SELECT 1 FROM "Participant" p WHERE p."conversationId" = cursor."conversationId" AND p."userId" = ${userId}::uuid)
                    THEN NULL
                    ELSE coalesce((SELECT f."leftSeq" FROM "FormerMember" f
                                   WHERE f."conversationId" = cursor."conversationId" AND f."userId" = ${userId}::uuid AND f.listed), -1) END AS until
      ) access
      CROSS JOIN LATERAL (
        SELECT * FROM "Message" WHERE "conversationId" = cursor."conversationId" AND seq > cursor.seq
          AND (access.until IS NULL OR seq <= access.until)
        ORDER BY seq LIMIT ${take}
      ) newer)`,
    Prisma.sql`ORDER BY m."conversationId", m.seq`,
  );
}
