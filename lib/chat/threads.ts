// Threads: a reply "in thread" is a message of the conversation (numbered by seq like any other)
// whose threadRootId names a top-level message. The timeline leaves such replies out unless they
// were also sent to the conversation (message-rows.ts `inTimeline`); the thread panel reads them
// here. Who wrote the top message or a reply, or was mentioned in one, follows the thread, with a
// read cursor (by seq) that gives the thread's unread marker.
import type { Db } from '../db/open';
import { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import type { FollowedThreadDto, MessageDto, ThreadPage, ThreadSummaryDto } from '../protocol';
import { toMessageDto } from './dto';
import { requireParticipant } from './membership';
import { messageRowById, readMessageRows } from './message-rows';

const NO_REPLIES: ThreadSummaryDto = { replyCount: 0, lastReplyAt: null, lastReplySeq: 0, repliers: [] };

/** A thread's top message, for a member of its conversation ("not found" for anyone else). */
async function requireRoot(db: Db, userId: string, rootId: string): Promise<MessageDto> {
  const row = await messageRowById(db, rootId);
  if (!row) throw new AppError('not_found', 'Message not found.');
  await requireParticipant(db, row.conversationId, userId);
  if (row.threadRootId) throw new AppError('bad_request', 'That message is a reply in a thread, not the start of one.');
  if (row.systemEvent !== null) throw new AppError('bad_request', 'A timeline note has no thread.');
  return toMessageDto(row);
}

/**
 * The top message and a page of its replies, oldest first: the newest `limit`, or those before
 * the reply `before` (keyset by seq, like history).
 */
export async function threadPage(db: Db, userId: string, rootId: string, query: { before?: string; limit: number }): Promise<ThreadPage> {
  const root = await requireRoot(db, userId, rootId);
  let beforeSeq: bigint | null = null;
  if (query.before) {
    const cursor = await db.message.findFirst({ where: { id: query.before, threadRootId: rootId }, select: { seq: true } });
    if (!cursor) throw new AppError('bad_request', 'The cursor is not a reply of this thread.');
    beforeSeq = cursor.seq;
  }
  const bound = beforeSeq === null ? Prisma.empty : Prisma.sql`AND seq < ${beforeSeq}`;
  const rows = await readMessageRows(
    db,
    Prisma.sql`(SELECT * FROM "Message" WHERE "threadRootId" = ${rootId}::uuid ${bound} ORDER BY seq DESC LIMIT ${query.limit + 1})`,
    Prisma.sql`ORDER BY m.seq DESC`,
  );
  const hasMore = rows.length > query.limit;
  const replies = rows.slice(0, query.limit).reverse().map(toMessageDto);
  return { root, replies, nextCursor: replies[0]?.id ?? null, hasMore };
}

/** The summary the top message shows, as it is now. */
export async function threadSummary(db: Db, rootId: string): Promise<ThreadSummaryDto> {
  const row = await messageRowById(db, rootId);
  const thread = row ? toMessageDto(row).thread : null;
  return thread ?? NO_REPLIES;
}

/**
 * After a reply: its author follows the thread and has read up to it; the top message's author
 * and anyone mentioned who is a member follow it from the start. Returns the thread's summary.
 */
export async function replied(db: Db, reply: MessageDto, mentionedUserIds: readonly string[] = []): Promise<ThreadSummaryDto> {
  const rootId = reply.threadRootId;
  if (!rootId) throw new Error('Not a thread reply.');
  await db.$executeRaw`
    INSERT INTO "ThreadFollower" ("rootId", "userId", "lastReadSeq")
    VALUES (${rootId}::uuid, ${reply.senderId}::uuid, ${reply.seq})
    ON CONFLICT ("rootId", "userId") DO UPDATE SET "lastReadSeq" = greatest("ThreadFollower"."lastReadSeq", excluded."lastReadSeq")`;
  await db.$executeRaw`
    INSERT INTO "ThreadFollower" ("rootId", "userId")
    SELECT ${rootId}::uuid, p."userId" FROM "Participant" p
    WHERE p."conversationId" = ${reply.conversationId}::uuid
      AND (p."userId" = (SELECT "senderId" FROM "Message" WHERE id = ${rootId}::uuid) OR p."userId" = ANY(${[...mentionedUserIds]}::uuid[]))
    ON CONFLICT DO NOTHING`;
  return threadSummary(db, rootId);
}

/** Moves a follower's read cursor forward to a reply of the thread. */
export async function markThreadRead(db: Db, userId: string, rootId: string, messageId: string): Promise<{ advanced: boolean }> {
  const reply = await db.message.findUnique({ where: { id: messageId }, select: { seq: true, conversationId: true, threadRootId: true } });
  if (!reply) throw new AppError('not_found', 'Message not found.');
  await requireParticipant(db, reply.conversationId, userId);
  if (reply.threadRootId !== rootId) throw new AppError('bad_request', 'That message is not a reply of this thread.');
  const { count } = await db.threadFollower.updateMany({ where: { rootId, userId, lastReadSeq: { lt: reply.seq } }, data: { lastReadSeq: reply.seq } });
  return { advanced: count > 0 };
}

/**
 * Threads the user follows with replies from others they have not read, in conversations they
 * are still in (all of them, or one).
 */
export async function unreadThreads(db: Db, userId: string, conversationId?: string): Promise<FollowedThreadDto[]> {
  const inConversation = conversationId ? Prisma.sql`AND r."conversationId" = ${conversationId}::uuid` : Prisma.empty;
  const rows = await db.$queryRaw<{ rootId: string; conversationId: string; lastReadSeq: bigint; unread: number }[]>`
    SELECT * FROM (
      SELECT f."rootId"::text AS "rootId", r."conversationId"::text AS "conversationId", f."lastReadSeq",
        (SELECT count(*)::int FROM "Message" t
          WHERE t."threadRootId" = f."rootId" AND t.seq > f."lastReadSeq" AND t."senderId" <> f."userId" AND t."deletedAt" IS NULL) AS unread
      FROM "ThreadFollower" f
      JOIN "Message" r ON r.id = f."rootId"
      JOIN "Participant" p ON p."conversationId" = r."conversationId" AND p."userId" = f."userId"
      WHERE f."userId" = ${userId}::uuid ${inConversation}
    ) followed
    WHERE unread > 0
    ORDER BY "lastReadSeq" DESC
    LIMIT 500`;
  return rows.map((row) => ({ rootId: row.rootId, conversationId: row.conversationId, unreadCount: row.unread, lastReadSeq: Number(row.lastReadSeq) }));
}
