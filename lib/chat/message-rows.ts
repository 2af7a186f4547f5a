// The one way to read messages with what their wire shape needs (sender, reply preview,
// attachment): one select list over `m` and its joins, one mapping (toMessageRow). History,
// catch-up, sync, search, retries, edits and last messages read through `readMessageRows`; the
// batch writer maps a plain message it has just stored with the same toMessageRow and reads one
// with a reply or attachment back through here. Prisma's `include` would send one query per
// relation: five round trips for a page of history (docs/performance.md).
import type { Db } from '../db/open';
import { Prisma } from '../db/generated/client';
import type { MessageType, ReactionDto, UserSummary } from '../protocol';
import { LIMITS } from '../protocol';
import type { AttachmentRow } from './dto';

export type MessageRow = {
  id: string;
  /** The message's place in its conversation (lib/chat/message-writer.ts assigns it). */
  seq: number;
  conversationId: string;
  senderId: string;
  sender: UserSummary;
  content: string;
  messageType: MessageType;
  replyTo: { id: string; senderId: string; senderName: string; content: string; messageType: MessageType; deletedAt: Date | null } | null;
  clientId: string | null;
  attachment: AttachmentRow | null;
  latitude: number | null;
  longitude: number | null;
  locationName: string | null;
  /** Members the text mentions (./mentions.ts), and @here / @all. */
  mentionedUserIds: string[];
  mentionsEveryone: 'here' | 'all' | null;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  /** A timeline note's event (./timeline.ts); null for a message someone wrote. */
  systemEvent: unknown;
  /** Deleted by a server admin (moderation). */
  removedByAdmin: boolean;
  reactions: ReactionDto[];
  threadRootId: string | null;
  alsoInConversation: boolean;
  /** Replies in its thread (a top-level message), null with none. */
  thread: { replyCount: number; lastReplyAt: Date | null; lastReplySeq: number; repliers: UserSummary[] } | null;
};

/** What `messageColumns` yields: a message and its relations, flattened. */
export type FlatMessageRow = {
  id: string;
  seq: bigint | number;
  conversationId: string;
  senderId: string;
  content: string;
  messageType: MessageType;
  replyToId: string | null;
  clientId: string | null;
  attachmentId: string | null;
  latitude: number | null;
  longitude: number | null;
  locationName: string | null;
  mentionedUserIds: string[] | null;
  mentionsEveryone: 'here' | 'all' | null;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  systemEvent: unknown;
  /** Absent where a message was just written (it cannot have been removed yet). */
  removedByAdmin?: boolean;
  senderUsername: string;
  senderName: string;
  senderAvatarUrl: string | null;
  replySenderId: string | null;
  replyContent: string | null;
  replyMessageType: MessageType | null;
  replyDeletedAt: Date | null;
  replySenderName: string | null;
  attachmentFileName: string | null;
  attachmentMimeType: string | null;
  attachmentSize: number | null;
  attachmentDurationSec: number | null;
  attachmentWidth: number | null;
  attachmentHeight: number | null;
  attachmentWaveform: number[] | null;
  attachmentThumbnailKey: string | null;
  threadRootId: string | null;
  alsoInConversation: boolean;
  /** JSON: [{ emoji, userIds }], in the order each emoji was first used. */
  reactions: ReactionDto[] | null;
  threadReplyCount: number | bigint | null;
  threadLastReplyAt: Date | string | null;
  threadLastReplySeq: number | bigint | null;
  /** JSON: the latest repliers' summaries, newest first. */
  threadRepliers: UserSummary[] | null;
};

/** The select list for a message `m` joined by `messageJoins`. */
const messageColumns = Prisma.sql`m.id::text AS id, m.seq, m."conversationId"::text AS "conversationId", m."senderId"::text AS "senderId",
  m.content, m."messageType"::text AS "messageType", m."replyToId"::text AS "replyToId", m."clientId",
  m."attachmentId"::text AS "attachmentId", m.latitude, m.longitude, m."locationName",
  m."mentionedUserIds"::text[] AS "mentionedUserIds", m."mentionsEveryone"::text AS "mentionsEveryone", m."createdAt", m."editedAt", m."deletedAt",
  m."removedByAdmin", m."systemEvent",
  s.username AS "senderUsername", s.name AS "senderName", s."avatarUrl" AS "senderAvatarUrl",
  r."senderId"::text AS "replySenderId", r.content AS "replyContent", r."messageType"::text AS "replyMessageType",
  r."deletedAt" AS "replyDeletedAt", rs.name AS "replySenderName",
  a."fileName" AS "attachmentFileName", a."mimeType" AS "attachmentMimeType", a.size AS "attachmentSize", a."durationSec" AS "attachmentDurationSec",
  a.width AS "attachmentWidth", a.height AS "attachmentHeight", a.waveform AS "attachmentWaveform", a."thumbnailKey" AS "attachmentThumbnailKey",
  m."threadRootId"::text AS "threadRootId", m."alsoInConversation",
  (SELECT json_agg(json_build_object('emoji', g.emoji, 'userIds', g."userIds") ORDER BY g.first)
     FROM (SELECT rx.emoji, array_agg(rx."userId"::text ORDER BY rx."createdAt", rx."userId") AS "userIds", min(rx."createdAt") AS first
           FROM "Reaction" rx WHERE rx."messageId" = m.id GROUP BY rx.emoji) g) AS reactions,
  th."threadReplyCount", th."threadLastReplyAt", th."threadLastReplySeq",
  CASE WHEN th."threadReplyCount" > 0 THEN
    (SELECT json_agg(json_build_object('id', u.id, 'username', u.username, 'name', u.name, 'avatarUrl', u."avatarUrl") ORDER BY recent.last DESC)
       FROM (SELECT t."senderId", max(t.seq) AS last FROM "Message" t WHERE t."threadRootId" = m.id AND t."deletedAt" IS NULL
             GROUP BY t."senderId" ORDER BY last DESC LIMIT ${LIMITS.threadRepliersShown}) recent
       JOIN "User" u ON u.id = recent."senderId")
  END AS "threadRepliers"`;

/** Sender, replied-to message and its sender, attachment of the message `m`. */
const messageJoins = Prisma.sql`LEFT JOIN "User" s ON s.id = m."senderId"
  LEFT JOIN "Message" r ON r.id = m."replyToId"
  LEFT JOIN "User" rs ON rs.id = r."senderId"
  LEFT JOIN "Attachment" a ON a.id = m."attachmentId"
  LEFT JOIN LATERAL (
    SELECT count(*)::int AS "threadReplyCount", max(t."createdAt") AS "threadLastReplyAt", max(t.seq) AS "threadLastReplySeq"
    FROM "Message" t WHERE t."threadRootId" = m.id AND t."deletedAt" IS NULL
  ) th ON m."threadRootId" IS NULL`;

export function toMessageRow(r: FlatMessageRow): MessageRow {
  return {
    id: r.id,
    seq: Number(r.seq),
    conversationId: r.conversationId,
    senderId: r.senderId,
    sender: { id: r.senderId, username: r.senderUsername, name: r.senderName, avatarUrl: r.senderAvatarUrl },
    content: r.content,
    messageType: r.messageType,
    replyTo:
      r.replyToId && r.replySenderId
        ? {
            id: r.replyToId,
            senderId: r.replySenderId,
            senderName: r.replySenderName ?? '',
            content: r.replyContent ?? '',
            messageType: r.replyMessageType ?? 'text',
            deletedAt: r.replyDeletedAt,
          }
        : null,
    clientId: r.clientId,
    attachment: r.attachmentId
      ? {
          id: r.attachmentId,
          fileName: r.attachmentFileName!,
          mimeType: r.attachmentMimeType!,
          size: r.attachmentSize!,
          durationSec: r.attachmentDurationSec,
          width: r.attachmentWidth,
          height: r.attachmentHeight,
          waveform: r.attachmentWaveform ?? [],
          thumbnailKey: r.attachmentThumbnailKey,
        }
      : null,
    latitude: r.latitude,
    longitude: r.longitude,
    locationName: r.locationName,
    mentionedUserIds: r.mentionedUserIds ?? [],
    mentionsEveryone: r.mentionsEveryone ?? null,
    createdAt: r.createdAt,
    editedAt: r.editedAt,
    deletedAt: r.deletedAt,
    systemEvent: r.systemEvent ?? null,
    removedByAdmin: r.removedByAdmin ?? false,
    reactions: r.reactions ?? [],
    threadRootId: r.threadRootId,
    alsoInConversation: r.alsoInConversation,
    thread:
      r.threadReplyCount && Number(r.threadReplyCount) > 0
        ? {
            replyCount: Number(r.threadReplyCount),
            lastReplyAt: r.threadLastReplyAt === null ? null : new Date(r.threadLastReplyAt),
            lastReplySeq: Number(r.threadLastReplySeq ?? 0),
            repliers: r.threadRepliers ?? [],
          }
        : null,
  };
}

/**
 * Messages with their sender, reply preview and attachment. `source` is a subquery yielding
 * "Message" rows (it does the filtering, ordering within a page, and limiting); `order` orders
 * the result.
 */
export async function readMessageRows(db: Db, source: Prisma.Sql, order: Prisma.Sql = Prisma.empty): Promise<MessageRow[]> {
  const rows = await db.$queryRaw<FlatMessageRow[]>`
    SELECT ${messageColumns} FROM ${source} m ${messageJoins} ${order}`;
  return rows.map(toMessageRow);
}

/** The messages with these ids, in the order given (unknown ids are left out). */
export async function messageRowsInOrder(db: Db, ids: readonly string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  const rows = await readMessageRows(db, Prisma.sql`(SELECT * FROM "Message" WHERE id = ANY(${ids as string[]}::uuid[]))`);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** One message by id, or null. */
export async function messageRowById(db: Db, id: string): Promise<MessageRow | null> {
  return (await messageRowsInOrder(db, [id]))[0] ?? null;
}

/** The message a sender sent with a client id, or null. */
export async function messageRowByClientId(db: Db, senderId: string, clientId: string): Promise<MessageRow | null> {
  const [row] = await readMessageRows(
    db,
    Prisma.sql`(SELECT * FROM "Message" WHERE "senderId" = ${senderId}::uuid AND "clientId" = ${clientId})`,
  );
  return row ?? null;
}

/** A condition on "Message": shown in its conversation's timeline (not a thread-only reply). */
export const inTimeline = Prisma.sql`("threadRootId" IS NULL OR "alsoInConversation")`;

/**
 * Up to `take` messages of a conversation's timeline (thread-only replies left out), walking away from a seq: the newest ones (no bound)
 * and the ones before a bound come newest first; the ones after a bound oldest first. An index
 * range on (conversationId, seq).
 */
export function pageRows(
  db: Db,
  conversationId: string,
  take: number,
  bound: { beforeSeq?: number; afterSeq?: number; untilSeq?: number } = {},
): Promise<MessageRow[]> {
  // The timeline: thread replies only when also sent to the conversation. `untilSeq`: nothing
  // past it (what a removed member may still read).
  const inConversation = Prisma.sql`"conversationId" = ${conversationId}::uuid AND ${inTimeline}${
    bound.untilSeq !== undefined ? Prisma.sql` AND seq <= ${bound.untilSeq}::bigint` : Prisma.empty
  }`;
  if (bound.afterSeq !== undefined) {
    return readMessageRows(
      db,
      Prisma.sql`(SELECT * FROM "Message" WHERE ${inConversation} AND seq > ${bound.afterSeq}::bigint ORDER BY seq LIMIT ${take})`,
      Prisma.sql`ORDER BY m.seq`,
    );
  }
  const before = bound.beforeSeq !== undefined ? Prisma.sql`AND seq < ${bound.beforeSeq}::bigint` : Prisma.empty;
  return readMessageRows(
    db,
    Prisma.sql`(SELECT * FROM "Message" WHERE ${inConversation} ${before} ORDER BY seq DESC LIMIT ${take})`,
    Prisma.sql`ORDER BY m.seq DESC`,
  );
}

/**
 * The last message of conversations (`Conversation.lastMessageId`): those of every conversation
 * the user is in, or of one conversation. One statement.
 */
export function lastMessageRows(db: Db, of: { userId: string } | { conversationId: string }): Promise<MessageRow[]> {
  const source =
    'userId' in of
      ? Prisma.sql`(SELECT lm.* FROM "Participant" p JOIN "Conversation" c ON c.id = p."conversationId"
          JOIN "Message" lm ON lm.id = c."lastMessageId" WHERE p."userId" = ${of.userId}::uuid)`
      : Prisma.sql`(SELECT lm.* FROM "Conversation" c JOIN "Message" lm ON lm.id = c."lastMessageId"
          WHERE c.id = ${of.conversationId}::uuid)`;
  return readMessageRows(db, source);
}
