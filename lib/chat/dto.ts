// Database rows → wire shapes (lib/protocol.ts). The Prisma selections that feed them live here
// too, so a query and its mapping cannot drift apart.
import type { Prisma } from '../db/generated/client';
import type { AttachmentDto, ConversationDto, MessageDto, ParticipantDto, ReplyPreviewDto } from '../protocol';

export const userSummarySelect = { id: true, username: true, name: true, avatarUrl: true } as const;

export const messageInclude = {
  sender: { select: userSummarySelect },
  replyTo: {
    select: { id: true, senderId: true, content: true, messageType: true, deletedAt: true, sender: { select: { name: true } } },
  },
  attachment: true,
} as const satisfies Prisma.MessageInclude;

export type MessageRow = Prisma.MessageGetPayload<{ include: typeof messageInclude }>;

const REPLY_PREVIEW_CHARS = 200;
const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export function toAttachmentDto(row: NonNullable<MessageRow['attachment']>): AttachmentDto {
  return {
    id: row.id,
    fileName: row.fileName,
    mimeType: row.mimeType,
    size: row.size,
    durationSec: row.durationSec,
    url: `/api/attachments/${row.id}`,
  };
}

function toReplyPreview(reply: NonNullable<MessageRow['replyTo']>): ReplyPreviewDto {
  return {
    id: reply.id,
    senderId: reply.senderId,
    senderName: reply.sender.name,
    content: reply.deletedAt ? '' : reply.content.slice(0, REPLY_PREVIEW_CHARS),
    messageType: reply.messageType,
    deletedAt: iso(reply.deletedAt),
  };
}

export function toMessageDto(row: MessageRow): MessageDto {
  const deleted = row.deletedAt !== null;
  return {
    id: row.id,
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
    createdAt: row.createdAt.toISOString(),
    editedAt: iso(row.editedAt),
    deletedAt: iso(row.deletedAt),
  };
}

export const conversationInclude = {
  participants: { include: { user: { select: userSummarySelect } }, orderBy: { joinedAt: 'asc' } },
  lastMessage: { include: messageInclude },
} as const satisfies Prisma.ConversationInclude;

export type ConversationRow = Prisma.ConversationGetPayload<{ include: typeof conversationInclude }>;

function toParticipantDto(row: ConversationRow['participants'][number]): ParticipantDto {
  return {
    user: row.user,
    role: row.role,
    joinedAt: row.joinedAt.toISOString(),
    lastReadMessageId: row.lastReadMessageId,
    readAt: iso(row.readAt),
    lastDeliveredMessageId: row.lastDeliveredMessageId,
    deliveredAt: iso(row.deliveredAt),
  };
}

/** The conversation as one participant (the viewer) sees it. */
export function toConversationDto(row: ConversationRow, viewerId: string, unreadCount: number): ConversationDto {
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
    lastMessage: row.lastMessage ? toMessageDto(row.lastMessage) : null,
    unreadCount,
    mutedUntil: iso(me?.mutedUntil),
    archivedAt: iso(me?.archivedAt),
  };
}
