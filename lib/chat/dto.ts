// Database rows → wire shapes (lib/protocol.ts). Messages come from the one read path
// (./message-rows.ts); the Prisma selections for users and participants live here, so a query
// and its mapping cannot drift apart.
import type { Prisma } from '../db/generated/client';
import { LIMITS, type AttachmentDto, type ConversationDto, type FormerMemberDto, type MessageDto, type ParticipantDto, type ReplyPreviewDto, type UserSummary } from '../protocol';
import type { MessageRow } from './message-rows';
import { toSystemEventDto } from './timeline';

export const userSummarySelect = { id: true, username: true, name: true, avatarUrl: true } as const;

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);
/** Seqs are bigint in the database; they stay far below 2^53. */
const seqOf = (seq: bigint | null) => (seq === null ? null : Number(seq));

/** What an attachment's DTO is made from: its row, or the columns the message read path joins. */
export type AttachmentRow = {
  id: string;
  fileName: string;
  mimeType: string;
  size: number;
  durationSec: number | null;
  width: number | null;
  height: number | null;
  waveform: number[];
  thumbnailKey: string | null;
};

export function toAttachmentDto(row: AttachmentRow): AttachmentDto {
  const url = `/api/attachments/${row.id}`;
  return {
    id: row.id,
    fileName: row.fileName,
    mimeType: row.mimeType,
    size: row.size,
    durationSec: row.durationSec,
    url,
    width: row.width,
    height: row.height,
    waveform: row.waveform.length > 0 ? row.waveform : null,
    thumbnailUrl: row.thumbnailKey ? `${url}?variant=thumbnail` : null,
  };
}

function toReplyPreview(reply: NonNullable<MessageRow['replyTo']>): ReplyPreviewDto {
  return {
    id: reply.id,
    senderId: reply.senderId,
    senderName: reply.senderName,
    content: reply.deletedAt ? '' : reply.content.slice(0, LIMITS.replyPreviewChars),
    messageType: reply.messageType,
    deletedAt: iso(reply.deletedAt),
  };
}

export function toMessageDto(row: MessageRow): MessageDto {
  const deleted = row.deletedAt !== null;
  return {
    id: row.id,
    seq: row.seq,
    conversationId: row.conversationId,
    senderId: row.senderId,
    sender: row.sender,
    content: deleted ? '' : row.content,
    messageType: row.messageType,
    replyTo: row.replyTo ? toReplyPreview(row.replyTo) : null,
    clientId: row.clientId,
    attachment: !deleted && row.attachment ? toAttachmentDto(row.attachment) : null,
    location:
      !deleted && row.latitude !== null && row.longitude !== null
        ? { latitude: row.latitude, longitude: row.longitude, name: row.locationName }
        : null,
    mentionedUserIds: deleted ? [] : row.mentionedUserIds,
    mentionsEveryone: deleted ? null : row.mentionsEveryone,
    createdAt: row.createdAt.toISOString(),
    editedAt: iso(row.editedAt),
    deletedAt: iso(row.deletedAt),
    system: toSystemEventDto(row.systemEvent),
    removedByAdmin: deleted && row.removedByAdmin,
    reactions: deleted ? [] : row.reactions,
    threadRootId: row.threadRootId,
    alsoInConversation: row.alsoInConversation,
    // A deleted top message keeps its thread: the replies are still there to read.
    thread: row.thread ? { ...row.thread, lastReplyAt: iso(row.thread.lastReplyAt) } : null,
  };
}

/** A conversation with its participants; the last message is read apart (./message-rows.ts). */
export const conversationInclude = {
  participants: { include: { user: { select: { ...userSummarySelect, lastSeenAt: true } } }, orderBy: { joinedAt: 'asc' } },
  formerMembers: { include: { user: { select: userSummarySelect } }, orderBy: { leftAt: 'asc' } },
} as const satisfies Prisma.ConversationInclude;

export type ConversationRow = Prisma.ConversationGetPayload<{ include: typeof conversationInclude }>;

function toParticipantDto(row: ConversationRow['participants'][number]): ParticipantDto {
  const { lastSeenAt, ...user } = row.user;
  return {
    user,
    role: row.role,
    joinedAt: row.joinedAt.toISOString(),
    lastReadMessageId: row.lastReadMessageId,
    lastReadSeq: seqOf(row.lastReadSeq),
    readAt: iso(row.readAt),
    lastDeliveredMessageId: row.lastDeliveredMessageId,
    lastDeliveredSeq: seqOf(row.lastDeliveredSeq),
    deliveredAt: iso(row.deliveredAt),
    lastSeenAt: iso(lastSeenAt),
  };
}

function toFormerMemberDto(row: ConversationRow['formerMembers'][number]): FormerMemberDto {
  return {
    user: row.user,
    joinedAt: row.joinedAt.toISOString(),
    leftAt: row.leftAt.toISOString(),
    leftSeq: Number(row.leftSeq),
    removedById: row.removedById,
    lastReadSeq: seqOf(row.lastReadSeq),
    lastDeliveredSeq: seqOf(row.lastDeliveredSeq),
  };
}

/** How a removed member's read-only view ends: when, at which seq, and by whom. */
export type LeftView = { at: Date; seq: bigint | number; removedBy: UserSummary | null };

/**
 * The conversation as one participant (the viewer) sees it; `left` for a removed member, whose
 * read-only view shows no news, no settings, no one's cursors after they left.
 */
export function toConversationDto(
  row: ConversationRow,
  viewerId: string,
  unreadCount: number,
  lastMessage: MessageDto | null,
  unreadMentionCount = 0,
  left: LeftView | null = null,
): ConversationDto {
  const me = row.participants.find((p) => p.userId === viewerId);
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    description: row.description,
    avatarUrl: row.avatarUrl,
    privacy: row.privacy === 'invite_only' ? 'invite-only' : row.privacy,
    createdById: row.createdById,
    createdAt: row.createdAt.toISOString(),
    lastActivityAt: row.lastActivityAt.toISOString(),
    participants: row.participants.map(toParticipantDto),
    lastMessage,
    unreadCount,
    unreadMentionCount,
    mutedUntil: iso(me?.mutedUntil),
    archivedAt: iso(me?.archivedAt),
    formerMembers: row.formerMembers.map(toFormerMemberDto),
    left: left ? { at: left.at.toISOString(), seq: Number(left.seq), removedBy: left.removedBy } : null,
    notificationLevel: me?.notificationLevel ?? null,
  };
}
