// Messages: sending (idempotent per sender and client id), keyset history paging, edits within
// a window, soft deletes, and full-text search within a conversation.
import type { Db } from '../db/open';
import { Prisma } from '../db/generated/client';
import { AppError } from '../errors';
import { LIMITS, type ConversationRef, type ListMessagesQuery, type MessageDto, type MessagePage, type SendMessageInput } from '../protocol';
import { messageInclude, toMessageDto, userSummarySelect, type MessageRow } from './dto';
import { requireParticipant } from './membership';
import { firstSendOf } from './first-send';
import { sendPlainMessage } from './message-writer';
import { messageRowsInOrder, pageRows, type PageBound } from './message-rows';

const isUniqueViolation = (error: unknown, field: string) =>
  error instanceof Prisma.PrismaClientKnownRequestError &&
  error.code === 'P2002' &&
  JSON.stringify(error.meta ?? {}).includes(field);

export type SentMessage = {
  message: MessageDto;
  conversation: ConversationRef;
  /** False when a retry with the same client id returned the message sent the first time. */
  created: boolean;
};

/**
 * Plain messages go through the batch writer (./message-writer.ts). The others take three
 * statements: the membership check (which also brings the sender and conversation for the event),
 * the insert, and the conversation's last activity. A retried client id is caught by its unique
 * constraint rather than looked up first.
 */
export async function sendMessage(db: Db, senderId: string, input: SendMessageInput): Promise<SentMessage> {
  // Nearly every message has no reply, attachment or location: those are written in batches.
  if (!input.replyTo && !input.attachmentId && !input.location) return sendPlainMessage(db, senderId, input);
  const membership = await db.participant.findUnique({
    where: { conversationId_userId: { conversationId: input.conversationId, userId: senderId } },
    select: { conversation: { select: { id: true, name: true, type: true } }, user: { select: userSummarySelect } },
  });
  if (!membership) throw new AppError('not_found', 'Conversation not found.');
  const { conversation, user: sender } = membership;

  const replyTo = input.replyTo
    ? await db.message.findFirst({ where: { id: input.replyTo, conversationId: input.conversationId }, select: messageInclude.replyTo.select })
    : null;
  if (input.replyTo && !replyTo) throw new AppError('bad_request', 'replyTo: that message is not in this conversation.');

  // Whether the upload is already in another message is left to its unique constraint.
  const attachment = input.attachmentId ? await db.attachment.findUnique({ where: { id: input.attachmentId } }) : null;
  if (input.attachmentId && (!attachment || attachment.uploaderId !== senderId)) {
    throw new AppError('bad_request', 'attachmentId: upload the file first.');
  }

  let created;
  try {
    created = await db.message.create({
      data: {
        conversationId: input.conversationId,
        senderId,
        content: input.content,
        messageType: input.messageType,
        replyToId: input.replyTo ?? null,
        clientId: input.clientId ?? null,
        attachmentId: input.attachmentId ?? null,
        latitude: input.location?.latitude ?? null,
        longitude: input.location?.longitude ?? null,
        locationName: input.location?.name ?? null,
      },
    });
  } catch (error) {
    // A retry (maybe concurrent) with a client id already used: answer with the first message.
    if (input.clientId && isUniqueViolation(error, 'clientId')) {
      const first = await firstSendOf(db, senderId, input.clientId, input.conversationId);
      if (first) return { message: first, conversation, created: false };
    }
    if (input.attachmentId && isUniqueViolation(error, 'attachmentId')) {
      throw new AppError('bad_request', 'attachmentId: that upload is already in a message.');
    }
    throw error;
  }
  const row: MessageRow = { ...created, sender, replyTo, attachment };

  // Only ever move last activity forward (concurrent sends may finish out of order).
  await db.conversation.updateMany({
    where: { id: input.conversationId, lastActivityAt: { lte: row.createdAt } },
    data: { lastMessageId: row.id, lastActivityAt: row.createdAt },
  });
  return { message: toMessageDto(row), conversation, created: true };
}

/**
 * Membership and the cursor's place, in one round trip. A non-member hears "not found" whatever
 * the cursor; a member, that a cursor from elsewhere is a bad request.
 */
async function requireMemberAndCursor(db: Db, conversationId: string, userId: string, cursorId: string | undefined): Promise<PageBound | null> {
  const [row] = await db.$queryRaw<{ member: boolean; cursorAt: Date | null }[]>`
    SELECT EXISTS (SELECT 1 FROM "Participant" WHERE "conversationId" = ${conversationId}::uuid AND "userId" = ${userId}::uuid) AS member,
           (SELECT "createdAt" FROM "Message" WHERE id = ${cursorId ?? null}::uuid AND "conversationId" = ${conversationId}::uuid) AS "cursorAt"`;
  if (!row?.member) throw new AppError('not_found', 'Conversation not found.');
  if (!cursorId) return null;
  if (!row.cursorAt) throw new AppError('bad_request', 'The cursor is not a message of this conversation.');
  return { createdAt: row.cursorAt, id: cursorId };
}

/**
 * A page of history, oldest first. Keyset paging on (createdAt, id): pages stay stable while
 * new messages arrive. `before` walks back from a cursor; `after` catches up past one; neither
 * gives the newest page. `nextCursor` is the oldest id returned (or, with `after`, the newest).
 * Two round trips: membership with the cursor, then the page with everything it shows.
 */
export async function listMessages(db: Db, userId: string, conversationId: string, query: ListMessagesQuery): Promise<MessagePage> {
  const bound = await requireMemberAndCursor(db, conversationId, userId, query.after ?? query.before);
  const take = query.limit + 1;

  if (query.after) {
    const rows = await pageRows(db, conversationId, take, { after: bound! });
    const hasMore = rows.length > query.limit;
    const page = rows.slice(0, query.limit).map(toMessageDto);
    return { messages: page, nextCursor: page.at(-1)?.id ?? null, hasMore };
  }

  const rows = await pageRows(db, conversationId, take, bound ? { before: bound } : undefined);
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit).reverse().map(toMessageDto);
  return { messages: page, nextCursor: page[0]?.id ?? null, hasMore };
}

async function requireOwnMessage(db: Db, userId: string, messageId: string) {
  const message = await db.message.findUnique({ where: { id: messageId }, select: { id: true, senderId: true, conversationId: true, createdAt: true, deletedAt: true } });
  // Someone else's message in a conversation you are not in does not exist for you.
  if (!message) throw new AppError('not_found', 'Message not found.');
  await requireParticipant(db, message.conversationId, userId);
  if (message.senderId !== userId) throw new AppError('forbidden', 'You can only change your own messages.');
  return message;
}

/** The author edits a message that is not deleted, within 15 minutes of sending it. */
export async function editMessage(db: Db, userId: string, messageId: string, content: string, now = new Date()): Promise<MessageDto> {
  const message = await requireOwnMessage(db, userId, messageId);
  if (message.deletedAt) throw new AppError('conflict', 'A deleted message cannot be edited.');
  const windowStart = new Date(now.getTime() - LIMITS.editWindowMs);
  if (message.createdAt < windowStart) throw new AppError('edit_window_passed');
  // The conditions again in the UPDATE, so a concurrent delete cannot be overwritten.
  const { count } = await db.message.updateMany({
    where: { id: messageId, deletedAt: null, createdAt: { gte: windowStart } },
    data: { content, editedAt: now },
  });
  if (count === 0) throw new AppError('conflict', 'The message changed meanwhile.');
  return toMessageDto(await db.message.findUniqueOrThrow({ where: { id: messageId }, include: messageInclude }));
}

/** The author deletes a message: its content, attachment and location go; its id stays. */
export async function deleteMessage(db: Db, userId: string, messageId: string): Promise<{ messageId: string; conversationId: string }> {
  const message = await requireOwnMessage(db, userId, messageId);
  if (!message.deletedAt) {
    await db.message.updateMany({
      where: { id: messageId, deletedAt: null },
      data: { deletedAt: new Date(), content: '', latitude: null, longitude: null, locationName: null },
    });
  }
  return { messageId, conversationId: message.conversationId };
}

/**
 * Words of a search, as prefixes, for to_tsquery. Only letters and digits survive, so any user
 * input is safe and never a tsquery syntax error.
 */
export function toPrefixQuery(input: string): string | null {
  const words = input.toLowerCase().match(/[\p{L}\p{N}]+/gu)?.slice(0, 8) ?? [];
  return words.length ? words.map((word) => `${word}:*`).join(' & ') : null;
}

/** How many of the newest messages search walks in order, first, then when that found a few. */
const SEARCH_SHORT_WALK = 2_000;
const SEARCH_LONG_WALK = 50_000;

/** Up to 50 messages of a conversation matching every word (as a prefix), newest first. */
export async function searchMessages(db: Db, userId: string, conversationId: string, query: string): Promise<MessageDto[]> {
  await requireParticipant(db, conversationId, userId);
  const tsquery = toPrefixQuery(query);
  if (!tsquery) return [];
  // PostgreSQL cannot tell how rare a prefix is, so it cannot choose between walking the newest
  // messages in order (fast unless the words are rare: the walk stops at a page of hits) and the
  // full-text index (fast for rare words, slow for common prefixes). So: walk the newest few
  // thousand (the whole conversation, if small); a few hits there mean a longer walk will fill the
  // page; none, or still too few, mean rare words, for the index (docs/performance.md).
  const page = LIMITS.searchResults;
  const first = await db.$queryRaw<{ id: string; walked: number }[]>`
    SELECT recent.id::text AS id, recent.walked FROM (
      SELECT id, "createdAt", "deletedAt", "searchVector", (count(*) OVER ())::int AS walked FROM (
        SELECT id, "createdAt", "deletedAt", "searchVector" FROM "Message"
        WHERE "conversationId" = ${conversationId}::uuid
        ORDER BY "createdAt" DESC, id DESC
        LIMIT ${SEARCH_SHORT_WALK}
      ) newest
    ) recent
    WHERE recent."deletedAt" IS NULL AND recent."searchVector" @@ to_tsquery('simple', ${tsquery})
    ORDER BY recent."createdAt" DESC, recent.id DESC
    LIMIT ${page}`;
  const walkedAll = first.length > 0 && first[0]!.walked < SEARCH_SHORT_WALK;
  let hits: { id: string }[] = first;
  if (first.length < page && !walkedAll) {
    if (first.length > 0) {
      hits = await db.$queryRaw<{ id: string }[]>`
        SELECT recent.id::text AS id FROM (
          SELECT id, "createdAt", "deletedAt", "searchVector" FROM "Message"
          WHERE "conversationId" = ${conversationId}::uuid
          ORDER BY "createdAt" DESC, id DESC
          LIMIT ${SEARCH_LONG_WALK}
        ) recent
        WHERE recent."deletedAt" IS NULL AND recent."searchVector" @@ to_tsquery('simple', ${tsquery})
        ORDER BY recent."createdAt" DESC, recent.id DESC
        LIMIT ${page}`;
    }
    if (hits.length < page) {
      hits = await db.$queryRaw<{ id: string }[]>`
        WITH matches AS MATERIALIZED (
          SELECT id, "createdAt" FROM "Message"
          WHERE "searchVector" @@ to_tsquery('simple', ${tsquery})
            AND "conversationId" = ${conversationId}::uuid
            AND "deletedAt" IS NULL
        )
        SELECT matches.id::text AS id FROM matches
        ORDER BY matches."createdAt" DESC, matches.id DESC
        LIMIT ${page}`;
    }
  }
  if (hits.length === 0) return [];
  return (await messageRowsInOrder(db, hits.map((hit) => hit.id))).map(toMessageDto);
}
