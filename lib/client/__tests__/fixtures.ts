// Small builders for the client's pure-logic tests.
import type { ConversationDto, MessageDto, ParticipantDto, UserSummary } from '../../protocol';

export const alice: UserSummary = { id: 'u-alice', username: 'alice', name: 'Alice Liddell', avatarUrl: null };
export const bob: UserSummary = { id: 'u-bob', username: 'bob', name: 'Bob Stone', avatarUrl: null };
export const carol: UserSummary = { id: 'u-carol', username: 'carol', name: 'Carol King', avatarUrl: null };

/** Ids sort like the server's UUIDv7: by number here. */
export const mid = (n: number) => `m-${String(n).padStart(4, '0')}`;

export function message(n: number, sender: UserSummary, extra: Partial<MessageDto> = {}): MessageDto {
  return {
    id: mid(n),
    conversationId: 'c-1',
    senderId: sender.id,
    sender,
    content: `message ${n}`,
    messageType: 'text',
    replyTo: null,
    clientId: null,
    attachment: null,
    location: null,
    createdAt: new Date(Date.UTC(2025, 0, 1, 10, 0, n)).toISOString(),
    editedAt: null,
    deletedAt: null,
    ...extra,
  };
}

export function participant(user: UserSummary, cursors: Partial<ParticipantDto> = {}): ParticipantDto {
  return {
    user,
    role: 'member',
    joinedAt: '2024-12-31T00:00:00.000Z',
    lastReadMessageId: null,
    readAt: null,
    lastDeliveredMessageId: null,
    deliveredAt: null,
    ...cursors,
  };
}

export function conversation(extra: Partial<ConversationDto> = {}): ConversationDto {
  return {
    id: 'c-1',
    type: 'private',
    name: null,
    description: null,
    avatarUrl: null,
    privacy: 'private',
    createdById: alice.id,
    createdAt: '2024-12-31T00:00:00.000Z',
    lastActivityAt: '2024-12-31T00:00:00.000Z',
    participants: [participant(alice), participant(bob)],
    lastMessage: null,
    unreadCount: 0,
    mutedUntil: null,
    archivedAt: null,
    ...extra,
  };
}
