// The one typed protocol shared by server, browser and tests: wire shapes (DTOs) as zod schemas
// with their types, the zod schemas for everything a client sends, and Socket.IO's event maps for
// both directions of `/chat`. The server's events are schemas too: the browser parses every event
// with them before it touches its cache. ../shared/CONTRACT.md is the outside contract;
// docs/protocol.md documents what we add to it.
import { z } from 'zod';
import { ERROR_TABLE, type ErrorBody, type ErrorCode } from './errors';
import { isSingleEmoji } from './emoji';

// In the browser zod must not compile parsers with `new Function`: the Content-Security-Policy
// forbids eval, and even zod's probe for it is reported as a violation. (Before any schema below.)
if (typeof window !== 'undefined') z.config({ jitless: true });

// ---------------------------------------------------------------------------------------------
// Limits and timings that both sides must agree on

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
  /** A reply's quote of the message it answers is cut to this many characters. */
  replyPreviewChars: 200,
  /** POST /api/sync: conversations one request may name, and messages per conversation. */
  syncConversations: 1_000,
  syncMessagesPerConversation: 100,
  channelPageDefault: 30,
  inviteMaxLifetimeSec: 90 * 24 * 3600,
  inviteMaxUses: 10_000,
  /** Live invite links per group. */
  invitesPerConversation: 50,
  /** GET …/messages?before=&until=: the most one page reaches back to a message jumped to. */
  jumpSpan: 1_000,
  /** …and how many messages before it come along, for context. */
  jumpContext: 10,
  /** Different emoji one user may put on one message. */
  reactionsPerUserPerMessage: 20,
  /** A thread page (GET /api/messages/:id/thread). */
  threadPageMax: 100,
  /** Repliers' avatars a thread's top message shows. */
  threadRepliersShown: 3,
  /** Search everywhere: results per page of each kind. */
  globalSearchMessages: 20,
  globalSearchPeople: 8,
  globalSearchChannels: 8,
} as const;

/** Typing indicators: the server relays, the client repeats and shows. */
export const TYPING = {
  /** The server relays at most one "started" per user and conversation this often. */
  relayIntervalMs: 2000,
  /** The server stops a typist by itself this long after their last `typing: true`. */
  serverTtlMs: 6000,
  /** A typing client repeats `typing: true` this often... */
  clientRepeatMs: 3000,
  /** ...and says it stopped after this long without a keystroke. */
  clientIdleMs: 3000,
  /** A client shows "is typing" this long after the last event (a lost "stopped" ends too). */
  displayMs: 8000,
} as const;

// ---------------------------------------------------------------------------------------------
// Strings from clients. None may carry NUL (PostgreSQL text cannot hold it) or other control
// characters; multi-line text keeps tab, line feed and carriage return.

// Matching control characters is the point of these two patterns.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001F\u007F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS_BUT_WHITESPACE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** One line of text (names, identifiers): no control characters at all. */
export const lineString = () => z.string().refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters');
/** Multi-line text (message content): tab and newlines allowed, other control characters not. */
export const multilineString = () =>
  z.string().refine((s) => !CONTROL_CHARS_BUT_WHITESPACE.test(s), 'must not contain control characters');
const trimmed = (max: number) => z.string().trim().max(max).refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters');

// ---------------------------------------------------------------------------------------------
// Wire shapes (what the server sends). Times are ISO-8601 strings; ids are UUIDv7 strings.
// `seq` is a message's place in its conversation: 1, 2, 3… with no gaps, assigned by the server
// when it stores the message. It is the order of history, catch-up, search and receipts.

export const MESSAGE_TYPES = ['text', 'image', 'file', 'voice', 'video', 'location'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export type ConversationType = 'private' | 'group';
export type ConversationPrivacy = 'public' | 'private' | 'invite-only';
export type ParticipantRole = 'member' | 'admin';

const wireId = z.string().min(1);
const wireTime = z.string().min(1);
const seqSchema = z.number().int().nonnegative();

export const userSummarySchema = z.object({ id: wireId, username: z.string(), name: z.string(), avatarUrl: z.string().nullable() });
export type UserSummary = z.infer<typeof userSummarySchema>;
/** `email` and `isAdmin` (a server admin) are present only when the user is the one asking. */
export const userDtoSchema = userSummarySchema.extend({ email: z.string().optional(), isAdmin: z.boolean().optional() });
export type UserDto = z.infer<typeof userDtoSchema>;

export const attachmentDtoSchema = z.object({
  id: wireId,
  fileName: z.string(),
  mimeType: z.string(),
  size: z.number(),
  durationSec: z.number().nullable(),
  /** Where the bytes are served, for members of the conversation only. */
  url: z.string(),
  /** Images: the pixel size (as shown, orientation applied), null when not an image. */
  width: z.number().nullable(),
  height: z.number().nullable(),
  /** Voice messages: loudness peaks 0-100 for the player's waveform, null without. */
  waveform: z.array(z.number()).nullable(),
  /** Large images: a smaller rendition for the conversation (the url stays the original). */
  thumbnailUrl: z.string().nullable(),
});
export type AttachmentDto = z.infer<typeof attachmentDtoSchema>;

// ---------------------------------------------------------------------------------------------
// Uploads (REST): the multipart upload's fields and the presigned direct upload to S3.

export const UPLOADS = {
  /** Waveform peaks: how many, each 0-100. */
  waveformMinPeaks: 8,
  waveformMaxPeaks: 200,
  waveformMaxPeak: 100,
  /** The longest voice or video message the server takes, in seconds. */
  maxDurationSec: 3600,
} as const;

export const waveformSchema = z
  .array(z.number().int('peaks must be whole numbers').min(0).max(UPLOADS.waveformMaxPeak, `peaks must be at most ${UPLOADS.waveformMaxPeak}`))
  .min(UPLOADS.waveformMinPeaks, `give at least ${UPLOADS.waveformMinPeaks} peaks`)
  .max(UPLOADS.waveformMaxPeaks, `give at most ${UPLOADS.waveformMaxPeaks} peaks`);

export const durationSecSchema = z.number().positive('must be more than 0').max(UPLOADS.maxDurationSec, `must be at most ${UPLOADS.maxDurationSec}`);

/** POST /api/uploads/presign */
export const presignUploadSchema = z.strictObject({
  fileName: lineString().min(1).max(1000),
  mimeType: lineString().min(1).max(255),
  size: z.number().int().positive('the file is empty'),
  durationSec: durationSecSchema.optional(),
  waveform: waveformSchema.optional(),
});
export type PresignUploadInput = z.infer<typeof presignUploadSchema>;

/** GET /api/uploads: the largest file, the longest voice message, and whether to upload directly (presign). */
export type UploadOptionsDto = { maxBytes: number; voiceMaxSeconds: number; direct: boolean };

/** The answer: PUT the bytes to `url` with `headers`, then POST /api/uploads/:uploadId/complete. */
export type PresignedUploadDto = { uploadId: string; url: string; method: 'PUT'; headers: Record<string, string>; expiresAt: string };

export const locationDtoSchema = z.object({ latitude: z.number(), longitude: z.number(), name: z.string().nullable() });
export type LocationDto = z.infer<typeof locationDtoSchema>;

/** A quote of the message replied to (content cut to a preview; empty when deleted). */
export const replyPreviewDtoSchema = z.object({
  id: wireId,
  senderId: wireId,
  senderName: z.string(),
  content: z.string(),
  messageType: z.enum(MESSAGE_TYPES),
  deletedAt: wireTime.nullable(),
});
export type ReplyPreviewDto = z.infer<typeof replyPreviewDtoSchema>;

/** What a timeline note tells (lib/chat/timeline.ts); its `content` says the same in words. */
export const SYSTEM_EVENTS = [
  'member_added',
  'member_joined',
  'member_removed',
  'member_left',
  'renamed',
  'description_changed',
  'privacy_changed',
] as const;
export const systemEventSchema = z.object({
  event: z.enum(SYSTEM_EVENTS),
  /** Who did it (also the note's senderId). */
  actorId: wireId,
  /** Who was added or removed. */
  userIds: z.array(wireId),
  /** The new name (renamed). */
  name: z.string().nullable(),
  /** The new privacy (privacy_changed). */
  privacy: z.enum(['public', 'private', 'invite-only']).nullable(),
  /** How someone joined (member_joined): from the channel browser or an invite link. */
  via: z.enum(['browse', 'link']).nullable(),
});
export type SystemEventDto = z.infer<typeof systemEventSchema>;
/** One emoji on a message: who reacted with it, first first (count = userIds.length). */
export const reactionDtoSchema = z.object({ emoji: z.string(), userIds: z.array(wireId) });
export type ReactionDto = z.infer<typeof reactionDtoSchema>;

/** What a thread's top message shows: replies (not deleted), the last one, the latest repliers. */
export const threadSummaryDtoSchema = z.object({
  replyCount: z.number().int().nonnegative(),
  lastReplyAt: wireTime.nullable(),
  /** The newest reply's seq (0 with none): of two summaries, the one with the higher is newer. */
  lastReplySeq: seqSchema,
  repliers: z.array(userSummarySchema),
});
export type ThreadSummaryDto = z.infer<typeof threadSummaryDtoSchema>;

export const messageDtoSchema = z.object({
  id: wireId,
  /** The message's place in its conversation (1, 2, 3…, no gaps). */
  seq: seqSchema,
  conversationId: wireId,
  senderId: wireId,
  sender: userSummarySchema,
  /** Empty once deleted. */
  content: z.string(),
  messageType: z.enum(MESSAGE_TYPES),
  replyTo: replyPreviewDtoSchema.nullable(),
  clientId: z.string().nullable(),
  attachment: attachmentDtoSchema.nullable(),
  location: locationDtoSchema.nullable(),
  /** Members the text mentions by @username, checked against the members when stored or edited. */
  mentionedUserIds: z.array(wireId),
  /** `@here` / `@all`, written by an admin of a group. */
  mentionsEveryone: z.enum(['here', 'all']).nullable(),
  createdAt: wireTime,
  editedAt: wireTime.nullable(),
  deletedAt: wireTime.nullable(),
  /**
   * Set on a timeline note (a member added or removed, a rename…), null on what someone wrote. A
   * note is numbered like a message, sent by the one who acted, with `messageType` "text" and its
   * sentence as `content`; it is never unread and cannot be edited or deleted.
   */
  system: systemEventSchema.nullable(),
  /** Deleted by a server admin (moderation) rather than by its author. */
  removedByAdmin: z.boolean().default(false),
  /** Reactions, in the order each emoji was first used (none once deleted). */
  reactions: z.array(reactionDtoSchema),
  /** Set on a thread reply: the top message of its thread. */
  threadRootId: wireId.nullable(),
  /** A thread reply that is shown in the conversation's timeline too. */
  alsoInConversation: z.boolean(),
  /** On a top-level message with replies in a thread; null otherwise. */
  thread: threadSummaryDtoSchema.nullable(),
});
export type MessageDto = z.infer<typeof messageDtoSchema>;

export const participantDtoSchema = z.object({
  user: userSummarySchema,
  role: z.enum(['member', 'admin']),
  joinedAt: wireTime,
  /** Read cursor: the newest message this member has read (id and seq), and when. */
  lastReadMessageId: wireId.nullable(),
  lastReadSeq: seqSchema.nullable(),
  readAt: wireTime.nullable(),
  /** Delivered cursor, the same shape. */
  lastDeliveredMessageId: wireId.nullable(),
  lastDeliveredSeq: seqSchema.nullable(),
  deliveredAt: wireTime.nullable(),
  /** When the member was last connected (set as their last socket closes); null if never. */
  lastSeenAt: wireTime.nullable(),
});
export type ParticipantDto = z.infer<typeof participantDtoSchema>;

/** Someone who was a member: receipts of the messages from their time still count them. */
export const formerMemberDtoSchema = z.object({
  user: userSummarySchema,
  joinedAt: wireTime,
  leftAt: wireTime,
  /** The seq of the note of their leaving. */
  leftSeq: seqSchema,
  /** Who removed them; null when they left. */
  removedById: wireId.nullable(),
  lastReadSeq: seqSchema.nullable(),
  lastDeliveredSeq: seqSchema.nullable(),
});
export type FormerMemberDto = z.infer<typeof formerMemberDtoSchema>;

export const conversationDtoSchema = z.object({
  id: wireId,
  type: z.enum(['private', 'group']),
  name: z.string().nullable(),
  description: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  privacy: z.enum(['public', 'private', 'invite-only']),
  createdById: wireId,
  createdAt: wireTime,
  lastActivityAt: wireTime,
  participants: z.array(participantDtoSchema),
  lastMessage: messageDtoSchema.nullable(),
  /** For the user asking: messages from others after their read cursor. */
  unreadCount: z.number().int().nonnegative(),
  /** For the user asking: how many of those unread messages mention them (by name, @here, @all). */
  unreadMentionCount: z.number().int().nonnegative(),
  /** For the user asking. */
  mutedUntil: wireTime.nullable(),
  archivedAt: wireTime.nullable(),
  /** People who were members and are not any more (for receipts against the members at the time). */
  formerMembers: z.array(formerMemberDtoSchema),
  /**
   * For a user who was removed: the conversation stays in their list read-only, its history up
   * to `seq` (the note of their removal). Null for members.
   */
  left: z.object({ at: wireTime, seq: seqSchema, removedBy: userSummarySchema.nullable() }).nullable(),
  /**
   * For the user asking: their notification level here; null follows their default
   * (NotificationSettingsDto.notificationLevel). Optional on the wire for older servers.
   */
  notificationLevel: z.enum(['all', 'mentions', 'none']).nullable().optional(),
});
export type ConversationDto = z.infer<typeof conversationDtoSchema>;

export const conversationRefSchema = z.object({ id: wireId, name: z.string().nullable(), type: z.enum(['private', 'group']) });
export type ConversationRef = z.infer<typeof conversationRefSchema>;

/** A public channel as the channel browser lists it. */
export const channelDtoSchema = z.object({
  id: wireId,
  name: z.string(),
  description: z.string().nullable(),
  memberCount: z.number().int().nonnegative(),
  /** Whether the user asking is a member. */
  joined: z.boolean(),
  lastActivityAt: wireTime,
});
export type ChannelDto = z.infer<typeof channelDtoSchema>;
export type ChannelPage = { channels: ChannelDto[]; nextCursor: string | null };

export type InviteState = 'valid' | 'expired' | 'used_up' | 'revoked';
/** An invite link, as the group's admins see it. */
export type InviteDto = {
  id: string;
  code: string;
  /** The path to share: /join/<code>. */
  path: string;
  expiresAt: string | null;
  maxUses: number | null;
  uses: number;
  revokedAt: string | null;
  createdAt: string;
  createdBy: UserSummary;
  state: InviteState;
};
/** GET /api/invites/:code: what opening a link shows before joining (the group only while the link is valid). */
export type InvitePreviewDto = {
  state: InviteState;
  conversation: { id: string; name: string | null; description: string | null; memberCount: number } | null;
  /** The user asking is a member already. */
  member: boolean;
};

export type MessagePage = { messages: MessageDto[]; nextCursor: string | null; hasMore: boolean };

/** GET /api/messages/:id/thread: the top message and a page of its replies, oldest first. */
export type ThreadPage = { root: MessageDto; replies: MessageDto[]; nextCursor: string | null; hasMore: boolean };

/** A thread the user follows, with replies from others after their thread read cursor. */
export type FollowedThreadDto = { rootId: string; conversationId: string; unreadCount: number; lastReadSeq: number };

/** GET /api/search: messages of every conversation the user is in, people, and channels. */
export type GlobalSearchDto = {
  messages: { message: MessageDto; conversation: ConversationRef }[];
  /** Pass as `cursor` for the next page of messages; null at the end. */
  nextCursor: string | null;
  people: UserSummary[];
  /** Groups whose name matches: mine, and public channels I could join. */
  channels: (ConversationRef & { description: string | null; memberCount: number; isMember: boolean })[];
};

/** `mentions` / `mentionsByConversation`: how many of the unread messages mention the user. */
export type UnreadDto = { total: number; byConversation: Record<string, number>; mentions: number; mentionsByConversation: Record<string, number> };

/**
 * POST /api/sync: the whole picture after a (re)connect in one request. `conversations` is the
 * user's list as GET /api/conversations gives it; `messages` holds, for each conversation the
 * client named (and is still a member of), the messages after the seq it named, oldest first,
 * up to LIMITS.syncMessagesPerConversation (`hasMore`: ask that conversation again from the
 * newest seq received).
 */
export type SyncDto = {
  conversations: ConversationDto[];
  /** Conversations the user was removed from and still lists, read-only (`left` set on each). */
  left: ConversationDto[];
  messages: Record<string, { messages: MessageDto[]; hasMore: boolean }>;
};

// ---------------------------------------------------------------------------------------------
// Input schemas (everything a client sends is parsed by one of these)

export const idSchema = z.uuid({ message: 'must be a valid id' });

export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9_]{3,32}$/, 'username must be 3-32 characters of a-z, 0-9 and _');
export const passwordSchema = lineString().min(8, 'password must be at least 8 characters').max(256);
const displayName = trimmed(100).min(1, 'name cannot be empty');

export const registerInput = z.object({
  email: z.email('email is not valid').max(254).transform((e) => e.toLowerCase()),
  username: usernameSchema,
  password: passwordSchema,
  name: displayName.optional(),
  /** A server invite code: required while registration is invite-only. */
  invite: lineString().max(128).optional(),
});
export type RegisterInput = z.infer<typeof registerInput>;

export const tokenInput = z
  .object({
    email: lineString().max(254).optional(),
    username: lineString().max(254).optional(),
    password: lineString().max(256),
  })
  .refine((v) => Boolean(v.email ?? v.username), { message: 'email or username is required' });
export type TokenInput = z.infer<typeof tokenInput>;

export const changePasswordInput = z.object({
  currentPassword: lineString().min(1, 'currentPassword is required').max(256),
  newPassword: passwordSchema,
});

export const createConversationInput = z
  .object({
    type: z.enum(['private', 'group']),
    name: trimmed(LIMITS.conversationName).min(1).optional(),
    description: trimmed(LIMITS.conversationDescription).optional(),
    /** Groups only: a public channel (listed in the channel browser, a unique name required). */
    privacy: z.enum(['public', 'private']).optional(),
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
  /** Groups only, admins only: public channels can be found and joined by anyone. */
  privacy: z.enum(['public', 'private']).optional(),
});

export const channelsQuery = z.object({
  q: trimmed(LIMITS.searchQuery).default(''),
  /** The last channel id of the previous page. */
  cursor: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageSizeMax).default(LIMITS.channelPageDefault),
});

export const createGroupInviteInput = z.object({
  /** Seconds from now until the link stops working; absent: never. */
  expiresInSec: z.number().int().min(60).max(LIMITS.inviteMaxLifetimeSec).optional(),
  /** How many people may join with it; absent: unlimited. */
  maxUses: z.number().int().min(1).max(LIMITS.inviteMaxUses).optional(),
});
export const inviteCodeSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'not an invite code');

export const conversationSettingsInput = z.object({
  /** Mute until this time; null unmutes. */
  mutedUntil: z.iso.datetime({ offset: true }).nullable().optional(),
  archived: z.boolean().optional(),
  /** Which messages here notify me; null follows my default. */
  notificationLevel: z.enum(['all', 'mentions', 'none']).nullable().optional(),
});

export const addParticipantInput = z.object({ userId: idSchema });

const messageContent = multilineString().max(LIMITS.messageContent, `content is at most ${LIMITS.messageContent} characters`);

export const sendMessageInput = z
  .object({
    conversationId: idSchema,
    content: messageContent.default(''),
    messageType: z.enum(MESSAGE_TYPES).default('text'),
    replyTo: idSchema.optional(),
    /** A reply in the thread of this top-level message of the conversation. */
    threadRootId: idSchema.optional(),
    /** A thread reply shown in the conversation's timeline too. */
    alsoInConversation: z.boolean().optional(),
    clientId: lineString().min(1).max(LIMITS.clientId).optional(),
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
  })
  .refine((v) => !v.alsoInConversation || v.threadRootId, {
    message: 'only a thread reply can also be sent to the conversation',
    path: ['alsoInConversation'],
  });
export type SendMessageInput = z.infer<typeof sendMessageInput>;

export const editMessageInput = z.object({
  messageId: idSchema,
  content: messageContent.refine((c) => c.trim().length > 0, 'content cannot be empty'),
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
    /**
     * With `before`: a jump to this (older) message. The page reaches back to it and a few before
     * it, up to LIMITS.jumpSpan messages, so the history stays one unbroken range.
     */
    until: idSchema.optional(),
  })
  .refine((v) => !(v.before && v.after), { message: 'use before or after, not both' })
  .refine((v) => !v.until || v.before, { message: 'until goes with before', path: ['until'] });
export type ListMessagesQuery = z.infer<typeof listMessagesQuery>;

/** One emoji grapheme (lib/emoji.ts). */
export const emojiSchema = z.string().refine(isSingleEmoji, 'emoji must be a single emoji');
export const reactionInput = z.object({ messageId: idSchema, emoji: emojiSchema });
export const threadPageQuery = z.object({
  before: idSchema.optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.threadPageMax).default(LIMITS.pageSizeDefault),
});
export const threadReadInput = z.object({ rootId: idSchema, messageId: idSchema });
export const followedThreadsQuery = z.object({ conversationId: idSchema.optional() });

/** GET /api/search. `cursor`: the previous page's `nextCursor` (a message id). */
export const globalSearchQuery = z.object({
  q: trimmed(LIMITS.searchQuery).min(1, 'q is required'),
  cursor: idSchema.optional(),
});

export const searchQuery = z.object({ q: trimmed(LIMITS.searchQuery).min(1, 'q is required') });
export const userSearchQuery = z.object({ q: trimmed(64).default('') });

/** POST /api/sync (SyncDto): for each conversation whose history the client holds, the newest seq it has. */
export const syncInput = z.object({
  conversations: z
    .record(idSchema, seqSchema)
    .refine((cursors) => Object.keys(cursors).length <= LIMITS.syncConversations, {
      message: `at most ${LIMITS.syncConversations} conversations`,
    })
    .default({}),
});
export type SyncInput = z.infer<typeof syncInput>;

// ---------------------------------------------------------------------------------------------
// Notifications: the user's own settings and Web Push subscriptions (lib/push/)

/** GET/PATCH /api/me/notifications; `notificationSettingsChanged` carries the same. */
export const notificationSettingsDtoSchema = z.object({
  /** The level of conversations without their own (lib/chat/notification-policy.ts). */
  notificationLevel: z.enum(['all', 'mentions', 'none']),
  /** false: notifications say who wrote where, never what. */
  notificationPreviews: z.boolean(),
});
export type NotificationSettingsDto = z.infer<typeof notificationSettingsDtoSchema>;

export const notificationSettingsInput = z
  .object({ notificationLevel: z.enum(['all', 'mentions', 'none']).optional(), notificationPreviews: z.boolean().optional() })
  .refine((v) => v.notificationLevel !== undefined || v.notificationPreviews !== undefined, { message: 'nothing to change' });

/** Base64url of exactly `bytes` bytes (padding optional); counted without decoding, as browsers have no Buffer. */
const base64url = (bytes: number, field: string) =>
  z.string().refine((s) => {
    const digits = s.replace(/=+$/, '');
    return /^[A-Za-z0-9_-]+$/.test(digits) && digits.length === Math.ceil((bytes * 4) / 3);
  }, `${field} must be ${bytes} bytes, base64url`);

/** A PushSubscription as the browser's `subscription.toJSON()` gives it. */
export const pushSubscriptionInput = z.object({
  endpoint: lineString()
    .max(2048)
    .refine((s) => URL.canParse(s) && new URL(s).protocol === 'https:', 'endpoint must be an https: URL'),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    /** The browser's P-256 public key, uncompressed (65 bytes). */
    p256dh: base64url(65, 'keys.p256dh'),
    /** The auth secret (16 bytes). */
    auth: base64url(16, 'keys.auth'),
  }),
});
export type PushSubscriptionInput = z.infer<typeof pushSubscriptionInput>;
export const pushUnsubscribeInput = z.object({ endpoint: pushSubscriptionInput.shape.endpoint });

/**
 * What a Web Push carries (JSON, encrypted by the push sender; read by public/sw.js). `preview`
 * is null when the recipient hides message content in notifications.
 */
export type PushPayload = {
  kind: 'message';
  conversationId: string;
  conversationType: ConversationType;
  /** The group's name, or for a direct message the sender's. */
  conversationName: string;
  messageId: string;
  seq: number;
  senderId: string;
  senderName: string;
  preview: string | null;
  /** Set for a reply shown only in its thread: the thread's top message. */
  threadRootId: string | null;
  sentAt: string;
  /** Where a click opens the app: the conversation, at the message. */
  url: string;
};

/** Whether a socket's page is visible; sent on `visibilitychange`, and in the handshake's `auth.hidden`. */
export const visibilityInput = z.object({ visible: z.boolean() });

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
  /** This tab became visible or hidden: a user with no visible tab gets Web Push instead. */
  visibility: (payload: z.input<typeof visibilityInput>, ack?: AckFn) => void;
  /** Server admins only: removes anyone's message (moderation). Anyone else: not_found. */
  removeMessage: (payload: z.input<typeof deleteMessageInput>, ack?: AckFn<{ messageId: string }>) => void;
  /** Adding a reaction you already made, or removing one you did not, changes nothing (ok). */
  addReaction: (payload: z.input<typeof reactionInput>, ack?: AckFn<{ changed: boolean }>) => void;
  removeReaction: (payload: z.input<typeof reactionInput>, ack?: AckFn<{ changed: boolean }>) => void;
  /** Moves my read cursor in a thread I follow up to one of its replies. */
  markThreadRead: (payload: z.input<typeof threadReadInput>, ack?: AckFn<{ advanced: boolean }>) => void;
}

const presenceEventSchema = z.object({ userId: wireId, username: z.string(), timestamp: wireTime });
export type PresenceEvent = z.infer<typeof presenceEventSchema>;
const errorCodes = Object.keys(ERROR_TABLE) as [ErrorCode, ...ErrorCode[]];

/** Every server event's payload. The browser parses each event with these before using it. */
export const serverEventSchemas = {
  newMessage: z.object({ message: messageDtoSchema, conversation: conversationRefSchema }),
  userTyping: z.object({ userId: wireId, username: z.string(), conversationId: wireId, isTyping: z.boolean(), timestamp: wireTime }),
  /** `seq` is the read message's seq: the reader's cursor is at or past every message up to it. */
  messageRead: z.object({ messageId: wireId, seq: seqSchema, conversationId: wireId, readBy: wireId, readAt: wireTime }),
  messageDelivered: z.object({ messageId: wireId, seq: seqSchema, conversationId: wireId, deliveredTo: wireId, deliveredAt: wireTime }),
  userOnline: presenceEventSchema,
  userOffline: presenceEventSchema,
  /** Sent once after connecting: who, among the people you share a conversation with, is online. */
  presenceState: z.object({ online: z.array(wireId) }),
  joinedConversation: z.object({ conversationId: wireId, message: z.string() }),
  leftConversation: z.object({ conversationId: wireId, message: z.string() }),
  newConversation: z.object({ conversation: conversationDtoSchema, createdBy: z.object({ id: wireId, username: z.string() }) }),
  /** Name, description or membership changed; the conversation as the receiver sees it. */
  conversationUpdated: z.object({ conversation: conversationDtoSchema }),
  /**
   * You were removed from (or left) a conversation. `conversation`, when present, is its read-only
   * view (a removed member keeps it in their list, `left` set); absent, drop it from the list.
   */
  removedFromConversation: z.object({ conversationId: wireId, conversation: conversationDtoSchema.optional() }),
  messageEdited: z.object({ message: messageDtoSchema }),
  /** `removedByAdmin`: a server admin removed it (moderation). */
  messageDeleted: z.object({ messageId: wireId, conversationId: wireId, removedByAdmin: z.boolean().optional() }),
  /** My default notification level or previews setting changed (in another tab, say). */
  notificationSettingsChanged: notificationSettingsDtoSchema,
  /** Someone added (`added`) or removed a reaction; to the conversation's room. */
  reactionChanged: z.object({ conversationId: wireId, messageId: wireId, emoji: z.string(), userId: wireId, added: z.boolean() }),
  /** A thread's summary after a reply was added or deleted; to the conversation's room. */
  threadUpdated: z.object({ conversationId: wireId, rootId: wireId, thread: threadSummaryDtoSchema }),
  error: z.object({ code: z.enum(errorCodes), message: z.string(), retryAfterSec: z.number().optional() }),
} as const;

export type ServerEventName = keyof typeof serverEventSchemas;
export type ServerEventPayload<E extends ServerEventName> = z.infer<(typeof serverEventSchemas)[E]>;
export type ServerToClientEvents = { [E in ServerEventName]: (payload: ServerEventPayload<E>) => void };

export const CHAT_NAMESPACE = '/chat';
export const rooms = {
  user: (userId: string) => `user:${userId}`,
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  /** The sockets of one browser session (signed in with a session cookie). */
  session: (sessionId: string) => `session:${sessionId}`,
};

// ---------------------------------------------------------------------------------------------
// Accounts and administration (lib/accounts, lib/admin; docs/protocol.md "Accounts" and "Administration")

export const REGISTRATION_MODES = ['open', 'invite-only', 'closed'] as const;
export type RegistrationMode = (typeof REGISTRATION_MODES)[number];
export const DIRECTORY_VISIBILITIES = ['everyone', 'shared'] as const;
export type DirectoryVisibility = (typeof DIRECTORY_VISIBILITIES)[number];

export const ACCOUNT_LIMITS = {
  /** Largest avatar image accepted before cropping. */
  avatarUploadBytes: 5 * 1024 * 1024,
  /** The stored avatar is a square of this many pixels. */
  avatarPixels: 256,
  serverName: 100,
  /** Password reset links made by an admin, and those sent by e-mail, last this long. */
  resetLinkTtlMs: 24 * 60 * 60 * 1000,
  emailResetLinkTtlMs: 60 * 60 * 1000,
} as const;

export type ServerSettingsDto = {
  name: string;
  registrationMode: RegistrationMode;
  /** null: the configured ceiling (`uploadCeilingBytes`, UPLOAD_MAX_BYTES). */
  uploadMaxBytes: number | null;
  uploadCeilingBytes: number;
  directoryVisibility: DirectoryVisibility;
  /** Whether password reset e-mails can be sent (SMTP_URL is set). */
  mailConfigured: boolean;
};

/** What anyone may know about the server (the sign-up page). */
export type PublicServerInfoDto = { name: string; registrationMode: RegistrationMode };

export type AdminUserDto = UserSummary & {
  email: string;
  isActive: boolean;
  isAdmin: boolean;
  /** Admin because ADMIN_EMAILS lists the e-mail (cannot be revoked in the console). */
  adminByConfig: boolean;
  createdAt: string;
  lastSeenAt: string | null;
};

export type ServerInviteDto = {
  id: string;
  maxUses: number | null;
  uses: number;
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
};

export type AuditEntryDto = {
  id: string;
  actor: { id: string; username: string; name: string };
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
  createdAt: string;
};

export const updateProfileInput = z.object({ name: displayName });
export const deleteAccountInput = z.object({ password: lineString().min(1, 'password is required').max(256) });
export const passwordResetRequestInput = z.object({ email: z.email('email is not valid').max(254).transform((e) => e.toLowerCase()) });
export const passwordResetInput = z.object({ token: lineString().min(1).max(128), newPassword: passwordSchema });

export const updateServerSettingsInput = z.object({
  name: trimmed(ACCOUNT_LIMITS.serverName).min(1, 'name cannot be empty').optional(),
  registrationMode: z.enum(REGISTRATION_MODES).optional(),
  uploadMaxBytes: z.number().int().positive().nullable().optional(),
  directoryVisibility: z.enum(DIRECTORY_VISIBILITIES).optional(),
});
export type UpdateServerSettingsInput = z.infer<typeof updateServerSettingsInput>;

export const adminUserQuery = z.object({ q: trimmed(64).default(''), after: idSchema.optional() });
export const adminUpdateUserInput = z
  .object({ active: z.boolean().optional(), admin: z.boolean().optional() })
  .refine((v) => v.active !== undefined || v.admin !== undefined, { message: 'active or admin is required' });
export const createInviteInput = z.object({
  maxUses: z.number().int().positive().max(10_000).nullable().default(null),
  /** null: until revoked. */
  expiresInHours: z.number().int().positive().max(24 * 365).nullable().default(168),
});
export const auditQuery = z.object({ before: idSchema.optional() });
