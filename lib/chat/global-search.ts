// Search everywhere (GET /api/search): messages of every conversation the user is a member of,
// newest first in keyset pages (by time, then within a conversation by seq: ids made in the same
// millisecond are not in send order; the cursor is a message id), plus people and
// channels by name. The same safety as the per-conversation search (./search.ts): any string is
// safe (only letters and digits reach the full-text query; LIKE syntax is escaped), membership is
// part of the query itself, so a conversation the user left yields nothing, and deleted messages
// never show.
import type { Db } from '../db/open';
import { LIMITS, type ConversationRef, type GlobalSearchDto } from '../protocol';
import { toMessageDto } from './dto';
import { messageRowsInOrder } from './message-rows';
import { toPrefixQuery } from './search';
import { escapeLike, searchUsers } from './users';

export async function searchEverywhere(db: Db, userId: string, query: string, cursor?: string): Promise<GlobalSearchDto> {
  // People and channels come with the first page only; later pages are more messages.
  const [messages, people, channels] = await Promise.all([
    searchMessagesEverywhere(db, userId, query, cursor),
    cursor ? [] : searchUsers(db, query, userId).then((users) => users.slice(0, LIMITS.globalSearchPeople)),
    cursor ? [] : searchChannels(db, userId, query),
  ]);
  return { ...messages, people, channels };
}

async function searchMessagesEverywhere(db: Db, userId: string, query: string, cursor: string | undefined) {
  const tsquery = toPrefixQuery(query);
  if (!tsquery) return { messages: [], nextCursor: null };
  const take = LIMITS.globalSearchMessages;
  const hits = await db.$queryRaw<{ id: string; conversationId: string; name: string | null; type: 'private' | 'group' }[]>`
    SELECT m.id::text AS id, c.id::text AS "conversationId", c.name, c.type::text AS type
    FROM "Message" m
    JOIN "Participant" p ON p."conversationId" = m."conversationId" AND p."userId" = ${userId}::uuid
    JOIN "Conversation" c ON c.id = m."conversationId"
    WHERE m."searchVector" @@ to_tsquery('simple', ${tsquery})
      AND m."deletedAt" IS NULL
      AND m."systemEvent" IS NULL
      AND (
        ${cursor ?? null}::uuid IS NULL
        OR (m."createdAt", m."conversationId", m.seq) < (SELECT k."createdAt", k."conversationId", k.seq FROM "Message" k WHERE k.id = ${cursor ?? null}::uuid)
      )
    ORDER BY m."createdAt" DESC, m."conversationId" DESC, m.seq DESC
    LIMIT ${take + 1}`;
  const page = hits.slice(0, take);
  const conversations = new Map<string, ConversationRef>(page.map((hit) => [hit.id, { id: hit.conversationId, name: hit.name, type: hit.type }]));
  const rows = await messageRowsInOrder(db, page.map((hit) => hit.id));
  return {
    messages: rows.map((row) => ({ message: toMessageDto(row), conversation: conversations.get(row.id)! })),
    nextCursor: hits.length > take ? page[page.length - 1]!.id : null,
  };
}

/** Groups whose name contains the query: the user's own, and public channels they could join. */
async function searchChannels(db: Db, userId: string, query: string): Promise<GlobalSearchDto['channels']> {
  const pattern = `%${escapeLike(query.trim())}%`;
  const rows = await db.$queryRaw<{ id: string; name: string | null; description: string | null; memberCount: number; isMember: boolean }[]>`
    SELECT c.id::text AS id, c.name, c.description,
           (SELECT count(*)::int FROM "Participant" WHERE "conversationId" = c.id) AS "memberCount",
           EXISTS (SELECT 1 FROM "Participant" WHERE "conversationId" = c.id AND "userId" = ${userId}::uuid) AS "isMember"
    FROM "Conversation" c
    WHERE c.type = 'group' AND c.name ILIKE ${pattern}
      AND (c.privacy = 'public' OR EXISTS (SELECT 1 FROM "Participant" WHERE "conversationId" = c.id AND "userId" = ${userId}::uuid))
    ORDER BY 5 DESC, lower(c.name), c.id
    LIMIT ${LIMITS.globalSearchChannels}`;
  return rows.map((row) => ({ ...row, type: 'group' as const }));
}
