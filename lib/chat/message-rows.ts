// Reading messages with what their wire shape needs (sender, reply preview, attachment) in one
// statement. Prisma's `include` sends one query per relation: five round trips for a page of
// history, which is most of its cost once the index seek is cheap (docs/performance.md).
import type { Db } from '../db/open';
import { Prisma } from '../db/generated/client';
import type { MessageRow } from './dto';

type FlatRow = {
  id: string;
  conversationId: string;
  senderId: string;
  content: string;
  messageType: MessageRow['messageType'];
  replyToId: string | null;
  clientId: string | null;
  attachmentId: string | null;
  latitude: number | null;
  longitude: number | null;
  locationName: string | null;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  senderUsername: string;
  senderName: string;
  senderAvatarUrl: string | null;
  replySenderId: string | null;
  replyContent: string | null;
  replyMessageType: MessageRow['messageType'] | null;
  replyDeletedAt: Date | null;
  replySenderName: string | null;
  attachmentUploaderId: string | null;
  attachmentStorageKey: string | null;
  attachmentFileName: string | null;
  attachmentMimeType: string | null;
  attachmentSize: number | null;
  attachmentDurationSec: number | null;
  attachmentCreatedAt: Date | null;
};

function toRow(r: FlatRow): MessageRow {
  return {
    id: r.id,
    conversationId: r.conversationId,
    senderId: r.senderId,
    content: r.content,
    messageType: r.messageType,
    replyToId: r.replyToId,
    clientId: r.clientId,
    attachmentId: r.attachmentId,
    latitude: r.latitude,
    longitude: r.longitude,
    locationName: r.locationName,
    createdAt: r.createdAt,
    editedAt: r.editedAt,
    deletedAt: r.deletedAt,
    sender: { id: r.senderId, username: r.senderUsername, name: r.senderName, avatarUrl: r.senderAvatarUrl },
    replyTo:
      r.replyToId && r.replySenderId
        ? {
            id: r.replyToId,
            senderId: r.replySenderId,
            content: r.replyContent ?? '',
            messageType: r.replyMessageType ?? 'text',
            deletedAt: r.replyDeletedAt,
            sender: { name: r.replySenderName ?? '' },
          }
        : null,
    attachment: r.attachmentId
      ? {
          id: r.attachmentId,
          uploaderId: r.attachmentUploaderId!,
          storageKey: r.attachmentStorageKey!,
          fileName: r.attachmentFileName!,
          mimeType: r.attachmentMimeType!,
          size: r.attachmentSize!,
          durationSec: r.attachmentDurationSec,
          createdAt: r.attachmentCreatedAt!,
        }
      : null,
  };
}

/**
 * Messages with their sender, reply preview and attachment. `source` is a subquery yielding
 * "Message" rows (it does the filtering, ordering within a page, and limiting).
 */
async function selectRows(db: Db, source: Prisma.Sql, order: Prisma.Sql = Prisma.empty): Promise<MessageRow[]> {
  const rows = await db.$queryRaw<FlatRow[]>`
    SELECT m.id::text AS id, m."conversationId"::text AS "conversationId", m."senderId"::text AS "senderId", m.content,
           m."messageType"::text AS "messageType", m."replyToId"::text AS "replyToId", m."clientId",
           m."attachmentId"::text AS "attachmentId", m.latitude, m.longitude, m."locationName", m."createdAt", m."editedAt", m."deletedAt",
           s.username AS "senderUsername", s.name AS "senderName", s."avatarUrl" AS "senderAvatarUrl",
           r."senderId"::text AS "replySenderId", r.content AS "replyContent", r."messageType"::text AS "replyMessageType",
           r."deletedAt" AS "replyDeletedAt", rs.name AS "replySenderName",
           a."uploaderId"::text AS "attachmentUploaderId", a."storageKey" AS "attachmentStorageKey", a."fileName" AS "attachmentFileName",
           a."mimeType" AS "attachmentMimeType", a.size AS "attachmentSize", a."durationSec" AS "attachmentDurationSec",
           a."createdAt" AS "attachmentCreatedAt"
    FROM ${source} m
    JOIN "User" s ON s.id = m."senderId"
    LEFT JOIN "Message" r ON r.id = m."replyToId"
    LEFT JOIN "User" rs ON rs.id = r."senderId"
    LEFT JOIN "Attachment" a ON a.id = m."attachmentId"
    ${order}`;
  return rows.map(toRow);
}

/** The messages with these ids, in the order given (unknown ids are left out). */
export async function messageRowsInOrder(db: Db, ids: readonly string[]): Promise<MessageRow[]> {
  if (ids.length === 0) return [];
  const rows = await selectRows(db, Prisma.sql`(SELECT * FROM "Message" WHERE id = ANY(${ids as string[]}::uuid[]))`);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export type PageBound = { createdAt: Date; id: string };

/**
 * Up to `take` messages of a conversation, walking away from the bound: the newest ones (no
 * bound) and the ones before a bound come newest first; the ones after a bound oldest first.
 * Keyset on (createdAt, id); the plain createdAt bound lets the index seek straight to the
 * cursor (the OR alone has PostgreSQL scan from one end).
 */
export function pageRows(db: Db, conversationId: string, take: number, bound?: { before?: PageBound; after?: PageBound }): Promise<MessageRow[]> {
  const inConversation = Prisma.sql`"conversationId" = ${conversationId}::uuid`;
  const { before, after } = bound ?? {};
  if (after) {
    return selectRows(
      db,
      Prisma.sql`(SELECT * FROM "Message" WHERE ${inConversation}
        AND "createdAt" >= ${after.createdAt} AND ("createdAt" > ${after.createdAt} OR id > ${after.id}::uuid)
        ORDER BY "createdAt", id LIMIT ${take})`,
      Prisma.sql`ORDER BY m."createdAt", m.id`,
    );
  }
  const beforeBound = before
    ? Prisma.sql`AND "createdAt" <= ${before.createdAt} AND ("createdAt" < ${before.createdAt} OR id < ${before.id}::uuid)`
    : Prisma.empty;
  return selectRows(
    db,
    Prisma.sql`(SELECT * FROM "Message" WHERE ${inConversation} ${beforeBound} ORDER BY "createdAt" DESC, id DESC LIMIT ${take})`,
    Prisma.sql`ORDER BY m."createdAt" DESC, m.id DESC`,
  );
}
