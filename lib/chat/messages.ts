// Messages: sending (idempotent per sender and client id), keyset history paging by seq, edits
// within a window, soft deletes. Search is in ./search.ts.
import type { Db } from '../db/open';
import { AppError } from '../errors';
import { LIMITS, type ConversationRef, type ListMessagesQuery, type MessageDto, type MessagePage, type SendMessageInput, type ThreadSummaryDto } from '../protocol';
import { toMessageDto } from './dto';
import { requireParticipant } from './membership';
import { firstSendOf } from './first-send';
import { writeMessage, type Written } from './message-writer';
import { messageRowById, pageRows } from './message-rows';
import type { FileStorage } from '../storage';
import { removeMessageAttachment } from './upload-lifecycle';
import { replied, threadSummary } from './threads';
import { EVERYONE_REFUSED_MESSAGE, resolveMentionsOf } from './mentions';

export type SentMessage = {
  message: MessageDto;
  conversation: ConversationRef;
  /** False when a retry with the same client id returned the message sent the first time. */
  created: boolean;
  /** A new thread reply: its thread's summary now (for threadUpdated). */
  thread?: ThreadSummaryDto;
};

/**
 * Every message goes through the batch writer (./message-writer.ts), which checks membership,
 * the reply, the attachment and a retried client id, and numbers the message in its conversation.
 */
export async function sendMessage(db: Db, senderId: string, input: SendMessageInput): Promise<SentMessage> {
  let written: Written;
  try {
    written = await writeMessage(db, senderId, input);
  } catch (error) {
    // The same client id committed by another node while this send was being written: a retry.
    if (input.clientId && isUniqueViolationOf(error, 'clientId')) {
      const first = await firstSendOf(db, senderId, input.clientId, input.conversationId);
      if (first) return { message: first, conversation: (await requireParticipant(db, input.conversationId, senderId)).conversation, created: false };
    }
    throw refusedByDatabase(error) ?? error;
  }
  switch (written.kind) {
    case 'created': {
      const message = toMessageDto(written.row);
      if (!message.threadRootId) return { message, conversation: written.conversation, created: true };
      return { message, conversation: written.conversation, created: true, thread: await replied(db, message, message.mentionedUserIds) };
    }
    case 'not_member':
      throw new AppError('not_found', 'Conversation not found.');
    case 'reply_elsewhere':
      throw new AppError('bad_request', 'replyTo: that message is not in this conversation.');
    case 'thread_elsewhere':
      throw new AppError('bad_request', 'threadRootId: that message is not a top-level message of this conversation.');
    case 'attachment_missing':
      throw new AppError('bad_request', 'attachmentId: upload the file first.');
    case 'attachment_used':
      throw new AppError('bad_request', 'attachmentId: that upload is already in a message.');
    case 'everyone_refused':
      throw new AppError('forbidden', EVERYONE_REFUSED_MESSAGE);
    case 'duplicate': {
      // A retry with a client id already used: answer with the message sent the first time.
      const first = await firstSendOf(db, senderId, input.clientId!, input.conversationId);
      if (!first) throw new AppError('conflict', 'The message changed meanwhile.');
      return { message: first, conversation: written.conversation, created: false };
    }
  }
}

/** The SQLSTATE and constraint of a database error, read from its fields, not its class: Next
 * bundles its own copy of Prisma, so `instanceof` fails in route handlers. */
function databaseError(error: unknown): { code: string; constraint: string } | null {
  const cause = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: string; constraint?: unknown } } } })?.meta
    ?.driverAdapterError?.cause;
  // The constraint as the driver adapter names it: its fields, or its index.
  return cause?.originalCode ? { code: cause.originalCode, constraint: JSON.stringify(cause.constraint ?? null) } : null;
}

const isUniqueViolationOf = (error: unknown, field: string) => {
  const failed = databaseError(error);
  return failed?.code === '23505' && failed.constraint.includes(field);
};

/**
 * A send the database refused on its own (the writer retries a failed batch entry by entry), as
 * the error its sender should hear; null for anything unexpected.
 */
function refusedByDatabase(error: unknown): AppError | null {
  const failed = databaseError(error);
  if (!failed) return null;
  // Checked before inserting; only a send racing on another node gets here.
  if (isUniqueViolationOf(error, 'attachmentId')) return new AppError('bad_request', 'attachmentId: that upload is already in a message.');
  // Data exceptions: a value the database cannot store (NUL in text, say), past the input schema.
  if (failed.code.startsWith('22')) return new AppError('bad_request', 'The message contains a value that cannot be stored.');
  return null;
}

/**
 * Membership and the cursor's seq, in one round trip. A non-member hears "not found" whatever
 * the cursor; a member, that a cursor from elsewhere is a bad request.
 */
async function requireMemberAndCursor(
  db: Db,
  conversationId: string,
  userId: string,
  cursorId: string | undefined,
): Promise<{ cursorSeq: number | null; untilSeq?: number }> {
  // A removed member who still lists the conversation reads it up to the note of their removal.
  const [row] = await db.$queryRaw<{ member: boolean; leftSeq: bigint | null; cursorSeq: bigint | null }[]>`
    SELECT EXISTS (SELECT 1 FROM "Participant" WHERE "conversationId" = ${conversationId}::uuid AND "userId" = ${userId}::uuid) AS member,
           (SELECT "leftSeq" FROM "FormerMember" WHERE "conversationId" = ${conversationId}::uuid AND "userId" = ${userId}::uuid AND listed) AS "leftSeq",
           (SELECT seq FROM "Message" WHERE id = ${cursorId ?? null}::uuid AND "conversationId" = ${conversationId}::uuid) AS "cursorSeq"`;
  if (!row?.member && row?.leftSeq == null) throw new AppError('not_found', 'Conversation not found.');
  const untilSeq = row.member ? undefined : Number(row.leftSeq);
  if (!cursorId) return { cursorSeq: null, untilSeq };
  if (row.cursorSeq === null || (untilSeq !== undefined && Number(row.cursorSeq) > untilSeq)) {
    throw new AppError('bad_request', 'The cursor is not a message of this conversation.');
  }
  return { cursorSeq: Number(row.cursorSeq), untilSeq };
}

/**
 * A page of history, oldest first, by seq: pages stay stable while new messages arrive. Cursors
 * are message ids (the contract's); `before` walks back from one, `after` catches up past one;
 * neither gives the newest page. `nextCursor` is the oldest id returned (or, with `after`, the
 * newest). Two round trips: membership with the cursor's seq, then the page with everything it shows.
 */
export async function listMessages(db: Db, userId: string, conversationId: string, query: ListMessagesQuery): Promise<MessagePage> {
  const { cursorSeq, untilSeq } = await requireMemberAndCursor(db, conversationId, userId, query.after ?? query.before);
  const take = query.limit + 1;

  if (query.after) {
    const rows = await pageRows(db, conversationId, take, { afterSeq: cursorSeq!, untilSeq });
    const hasMore = rows.length > query.limit;
    const page = rows.slice(0, query.limit).map(toMessageDto);
    return { messages: page, nextCursor: page.at(-1)?.id ?? null, hasMore };
  }

  // One more than the page holds: whether there is more before it.
  const pageSize = (await jumpTake(db, conversationId, query, cursorSeq, take)) - 1;
  const rows = await pageRows(db, conversationId, pageSize + 1, cursorSeq === null ? { untilSeq } : { beforeSeq: cursorSeq, untilSeq });
  const hasMore = rows.length > pageSize;
  const page = rows.slice(0, pageSize).reverse().map(toMessageDto);
  return { messages: page, nextCursor: page[0]?.id ?? null, hasMore };
}

/**
 * How far back a page reaches: `take`, or, jumping to an older message (`until`), back to it and
 * a few before it, at most LIMITS.jumpSpan (a farther jump takes several pages). Seqs bound the
 * count from above (thread-only replies are not in the timeline).
 */
async function jumpTake(db: Db, conversationId: string, query: ListMessagesQuery, cursorSeq: number | null, take: number): Promise<number> {
  if (!query.until || cursorSeq === null) return take;
  const target = await db.message.findFirst({ where: { id: query.until, conversationId }, select: { seq: true } });
  if (!target) throw new AppError('bad_request', 'until is not a message of this conversation.');
  // Not older than the cursor: a walk back would never reach it (a thread-only reply, say).
  if (Number(target.seq) >= cursorSeq) throw new AppError('bad_request', 'until must be older than before.');
  const span = cursorSeq - Number(target.seq) + LIMITS.jumpContext + 1;
  return Math.min(Math.max(take, span), LIMITS.jumpSpan + 1);
}

async function requireOwnMessage(db: Db, userId: string, messageId: string) {
  const message = await db.message.findUnique({
    where: { id: messageId },
    select: { id: true, senderId: true, conversationId: true, createdAt: true, deletedAt: true, threadRootId: true, systemEvent: true },
  });
  // Someone else's message in a conversation you are not in does not exist for you.
  if (!message) throw new AppError('not_found', 'Message not found.');
  await requireParticipant(db, message.conversationId, userId);
  // A timeline note is a record of what happened, not something its actor wrote.
  if (message.systemEvent !== null) throw new AppError('forbidden', 'Timeline notes cannot be changed.');
  if (message.senderId !== userId) throw new AppError('forbidden', 'You can only change your own messages.');
  return message;
}

/**
 * The author edits a message that is not deleted, within 15 minutes of sending it. The mentions
 * follow the new text, resolved as a send resolves them (./mentions.ts).
 */
export async function editMessage(db: Db, userId: string, messageId: string, content: string, now = new Date()): Promise<MessageDto> {
  const message = await requireOwnMessage(db, userId, messageId);
  if (message.deletedAt) throw new AppError('conflict', 'A deleted message cannot be edited.');
  const windowStart = new Date(now.getTime() - LIMITS.editWindowMs);
  if (message.createdAt < windowStart) throw new AppError('edit_window_passed');
  const mentions = await resolveMentionsOf(db, { conversationId: message.conversationId, senderId: userId, content });
  // The conditions again in the UPDATE, so a concurrent delete cannot be overwritten.
  const { count } = await db.message.updateMany({
    where: { id: messageId, deletedAt: null, createdAt: { gte: windowStart } },
    data: { content, editedAt: now, mentionedUserIds: mentions.mentionedUserIds, mentionsEveryone: mentions.mentionsEveryone },
  });
  if (count === 0) throw new AppError('conflict', 'The message changed meanwhile.');
  const row = await messageRowById(db, messageId);
  if (!row) throw new AppError('not_found', 'Message not found.');
  return toMessageDto(row);
}

export type DeletedMessage = {
  messageId: string;
  conversationId: string;
  /** A thread reply: its thread, and the thread's summary now (for threadUpdated). */
  thread?: { rootId: string; summary: ThreadSummaryDto };
};

/**
 * The author deletes a message: its content, attachment and location go; its id stays. The
 * attachment's stored file is deleted too (./upload-lifecycle.ts).
 */
export async function deleteMessage(db: Db, storage: FileStorage, userId: string, messageId: string): Promise<DeletedMessage> {
  const message = await requireOwnMessage(db, userId, messageId);
  if (!message.deletedAt) {
    await db.message.updateMany({
      where: { id: messageId, deletedAt: null },
      data: { deletedAt: new Date(), content: '', latitude: null, longitude: null, locationName: null, mentionedUserIds: [], mentionsEveryone: null },
    });
  }
  // Also for a message deleted before files went with their messages: deleting it again tidies up.
  await removeMessageAttachment(db, storage, messageId);
  if (!message.threadRootId) return { messageId, conversationId: message.conversationId };
  return { messageId, conversationId: message.conversationId, thread: { rootId: message.threadRootId, summary: await threadSummary(db, message.threadRootId) } };
}
