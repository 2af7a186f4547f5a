// The one typed protocol shared by server, browser and tests: wire shapes (DTOs), the zod schemas
// for everything a client sends, and Socket.IO's event maps for both directions of `/chat`.
// ../shared/CONTRACT.md is the outside contract; docs/protocol.md documents what we add to it.
import { z } from 'zod';
import type { ErrorBody } from './errors';

// ---------------------------------------------------------------------------------------------
// Limits

export const LIMITS = {
  messageContent: 10_000,
  conversationName: 100,
  conversationDescription: 500,
  groupParticipants: 256,
  pageSizeMax: 100,
  pageSizeDefault: 50,
  searchResults: 50,
  searchQuery: 200,
  userSearchResults: 20,
  clientId: 64,
  editWindowMs: 15 * 60 * 1000,
} as const;

// ---------------------------------------------------------------------------------------------
// Wire shapes (what the server sends). Times are ISO-8601 strings.

export const MESSAGE_TYPES = ['text', 'image', 'file', 'voice', 'video', 'location'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export type ConversationType = 'private' | 'group';
export type ConversationPrivacy = 'public' | 'private' | 'invite-only';
export type ParticipantRole = 'member' | 'admin';

/** `email` is present only when the user is the one asking. */
export type UserDto = { id: string; username: string; name: string; email?: string; avatarUrl: string | null };
export type UserSummary = { id: string; username: string; name: string; avatarUrl: string | null };

export type AttachmentDto = {
  id: string;
  fileName: string;
  mimeType: string;
  size: number;
  durationSec: number | null;
  /** Where the bytes are served, for members of the conversation only. */
  url: string;
};

export type LocationDto = { latitude: number; longitude: number; name: string | null };

/** A quote of the message replied to (content cut to a preview; empty when deleted). */
export type ReplyPreviewDto = {
  id: string;
  senderId: string;
  senderName: string;
  content: string;
  messageType: MessageType;
  deletedAt: string | null;
};

export type MessageDto = {
  id: string;
  conversationId: string;
  senderId: string;
  sender: UserSummary;
  /** Empty once deleted. */
  content: string;
  messageType: MessageType;
  replyTo: ReplyPreviewDto | null;
  clientId: string | null;
  attachment: AttachmentDto | null;
  location: LocationDto | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
};

export type ParticipantDto = {
  user: UserSummary;
  role: ParticipantRole;
  joinedAt: string;
  lastReadMessageId: string | null;
  readAt: string | null;
  lastDeliveredMessageId: string | null;
  deliveredAt: string | null;
};

export type ConversationDto = {
  id: string;
  type: ConversationType;
  name: string | null;
  description: string | null;
  avatarUrl: string | null;
  privacy: ConversationPrivacy;
  createdById: string;
  createdAt: string;
  lastActivityAt: string;
  participants: ParticipantDto[];
  lastMessage: MessageDto | null;
  /** For the user asking: messages from others after their read cursor. */
  unreadCount: number;
  /** For the user asking. */
  mutedUntil: string | null;
  archivedAt: string | null;
};

export type ConversationRef = { id: string; name: string | null; type: ConversationType };

export type MessagePage = { messages: MessageDto[]; nextCursor: string | null; hasMore: boolean };

export type UnreadDto = { total: number; byConversation: Record<string, number> };

// ---------------------------------------------------------------------------------------------
// Input schemas (everything a client sends is parsed by one of these)

export const idSchema = z.uuid({ message: 'must be a valid id' });
const trimmed = (max: number) => z.string().trim().max(max);

export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9_]{3,32}$/, 'username must be 3-32 characters of a-z, 0-9 and _');
export const passwordSchema = z.string().min(8, 'password must be at least 8 characters').max(256);

export const registerInput = z.object({
  email: z.email('email is not valid').max(254).transform((e) => e.toLowerCase()),
  username: usernameSchema,
  password: passwordSchema,
  name: trimmed(100).min(1).optional(),
});
export type RegisterInput = z.infer<typeof registerInput>;

export const tokenInput = z
  .object({
    email: z.string().max(254).optional(),
    username: z.string().max(254).optional(),
    password: z.string().max(256),
  })
  .refine((v) => Boolean(v.email ?? v.username), { message: 'email or username is required' });
export type TokenInput = z.infer<typeof tokenInput>;

export const createConversationInput = z
  .object({
    type: z.enum(['private', 'group']),
    name: trimmed(LIMITS.conversationName).min(1).optional(),
    description: trimmed(LIMITS.conversationDescription).optional(),
    participantIds: z.array(idSchema).max(LIMITS.groupParticipants),
  })
  .refine((v) => v.type === 'group' || v.participantIds.length === 1, {
    message: 'a private conversation takes exactly one other participant',
    path: ['participantIds'],
  });
export type CreateConversationInput = z.infer<typeof createConversationInput>;

export const updateConversationInput = z.object({
  name: trimmed(LIMITS.conversationName).min(1).optional(),
  description: trimmed(LIMITS.conversationDescription).nullable().optional(),
});

export const conversationSettingsInput = z.object({
  /** Mute until this time; null unmutes. */
  mutedUntil: z.iso.datetime({ offset: true }).nullable().optional(),
  archived: z.boolean().optional(),
});

export const addParticipantInput = z.object({ userId: idSchema });

export const sendMessageInput = z
  .object({
    conversationId: idSchema,
    content: z.string().max(LIMITS.messageContent, `content is at most ${LIMITS.messageContent} characters`).default(''),
    messageType: z.enum(MESSAGE_TYPES).default('text'),
    replyTo: idSchema.optional(),
    clientId: z.string().min(1).max(LIMITS.clientId).optional(),
    attachmentId: idSchema.optional(),
    location: z
      .object({
        latitude: z.number().min(-90).max(90),
        longitude: z.number().min(-180).max(180),
        name: trimmed(200).optional(),
      })
      .optional(),
  })
  .refine((v) => v.content.trim().length > 0 || v.attachmentId || v.location, {
    message: 'a message needs content, an attachment or a location',
    path: ['content'],
  })
  .refine((v) => (v.messageType === 'location') === Boolean(v.location), {
    message: 'a location message carries a location, and only it does',
    path: ['location'],
  });
export type SendMessageInput = z.infer<typeof sendMessageInput>;

export const editMessageInput = z.object({
  messageId: idSchema,
  content: z
    .string()
    .max(LIMITS.messageContent, `content is at most ${LIMITS.messageContent} characters`)
    .refine((c) => c.trim().length > 0, 'content cannot be empty'),
});
export const deleteMessageInput = z.object({ messageId: idSchema });
export const typingInput = z.object({ conversationId: idSchema, isTyping: z.boolean() });
export const receiptInput = z.object({ conversationId: idSchema, messageId: idSchema });
export const conversationIdInput = z.object({ conversationId: idSchema });

export const listMessagesQuery = z
  .object({
    before: idSchema.optional(),
    after: idSchema.optional(),
    limit: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(LIMITS.pageSizeDefault),
  })
  .refine((v) => !(v.before && v.after), { message: 'use before or after, not both' });
export type ListMessagesQuery = z.infer<typeof listMessagesQuery>;

export const searchQuery = z.object({ q: z.string().trim().min(1, 'q is required').max(LIMITS.searchQuery) });
export const userSearchQuery = z.object({ q: z.string().trim().max(64).default('') });

// ---------------------------------------------------------------------------------------------
// Socket.IO `/chat` event maps

export type AckError = { ok: false; error: ErrorBody };
export type Ack<T extends object = object> = ({ ok: true } & T) | AckError;
type AckFn<T extends object = object> = (response: Ack<T>) => void;

export interface ClientToServerEvents {
  sendMessage: (payload: z.input<typeof sendMessageInput>, ack?: AckFn<{ message: MessageDto }>) => void;
  typing: (payload: z.input<typeof typingInput>, ack?: AckFn) => void;
  markAsRead: (payload: z.input<typeof receiptInput>, ack?: AckFn<{ advanced: boolean }>) => void;
  markAsDelivered: (payload: z.input<typeof receiptInput>, ack?: AckFn<{ advanced: boolean }>) => void;
  joinConversation: (payload: z.input<typeof conversationIdInput>, ack?: AckFn<{ conversationId: string }>) => void;
  leaveConversation: (payload: z.input<typeof conversationIdInput>, ack?: AckFn<{ conversationId: string }>) => void;
  createConversation: (
    payload: z.input<typeof createConversationInput>,
    ack?: AckFn<{ conversation: ConversationDto; created: boolean }>,
  ) => void;
  editMessage: (payload: z.input<typeof editMessageInput>, ack?: AckFn<{ message: MessageDto }>) => void;
  deleteMessage: (payload: z.input<typeof deleteMessageInput>, ack?: AckFn<{ messageId: string }>) => void;
}

export type PresenceEvent = { userId: string; username: string; timestamp: string };

export interface ServerToClientEvents {
  newMessage: (payload: { message: MessageDto; conversation: ConversationRef }) => void;
  userTyping: (payload: { userId: string; username: string; conversationId: string; isTyping: boolean; timestamp: string }) => void;
  messageRead: (payload: { messageId: string; conversationId: string; readBy: string; readAt: string }) => void;
  messageDelivered: (payload: { messageId: string; conversationId: string; deliveredTo: string; deliveredAt: string }) => void;
  userOnline: (payload: PresenceEvent) => void;
  userOffline: (payload: PresenceEvent) => void;
  /** Sent once after connecting: who, among the people you share a conversation with, is online. */
  presenceState: (payload: { online: string[] }) => void;
  joinedConversation: (payload: { conversationId: string; message: string }) => void;
  leftConversation: (payload: { conversationId: string; message: string }) => void;
  newConversation: (payload: { conversation: ConversationDto; createdBy: { id: string; username: string } }) => void;
  /** Name, description or membership changed; the conversation as the receiver sees it. */
  conversationUpdated: (payload: { conversation: ConversationDto }) => void;
  /** You were removed from (or left) a conversation. */
  removedFromConversation: (payload: { conversationId: string }) => void;
  messageEdited: (payload: { message: MessageDto }) => void;
  messageDeleted: (payload: { messageId: string; conversationId: string }) => void;
  error: (payload: ErrorBody) => void;
}

export const CHAT_NAMESPACE = '/chat';
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  conversation: (conversationId: string) => `conversation:${conversationId}`,
};
