// Small builders for the client's pure-logic tests.
import type { ConversationDto, MessageDto, ParticipantDto, UserSummary } from '../../protocol';

export const alice: UserSummary = { id: 'u-alice', username: 'alice', name: 'Alice Liddell', avatarUrl: null };
export const bob: UserSummary = { id: 'u-bob', username: 'bob', name: 'Bob Stone', avatarUrl: null };
export const carol: UserSummary = { id: 'u-carol', username: 'carol', name: 'Carol King', avatarUrl: null };

/**
 * The id of message number `n` (its seq). Ids deliberately do not sort like seqs: order is the
 * seq's business (messages stored in one batch get ids whose order is random).
 */
export const mid = (n: number) => `m-${String((n * 7919) % 1009).padStart(4, '0')}-${n}`;

export function message(n: number, sender: UserSummary, extra: Partial<MessageDto> = {}): MessageDto {
  return {
    id: mid(n),
    seq: n,
    conversationId: 'c-1',
    senderId: sender.id,
    sender,
    content: `message ${n}`,
    messageType: 'text',
    replyTo: null,
    clientId: null,
    attachment: null,
    location: null,
    mentionedUserIds: [],
    mentionsEveryone: null,
    createdAt: new Date(Date.UTC(2025, 0, 1, 10, 0, n)).toISOString(),
    editedAt: null,
    deletedAt: null,
    system: null,
    removedByAdmin: false,
    reactions: [],
    threadRootId: null,
    alsoInConversation: false,
    thread: null,
    ...extra,
  };
}

export function participant(user: UserSummary, cursors: Partial<ParticipantDto> = {}): ParticipantDto {
  return {
    user,
    role: 'member',
    joinedAt: '2024-12-31T00:00:00.000Z',
    lastReadMessageId: null,
    lastReadSeq: null,
    readAt: null,
    lastDeliveredMessageId: null,
    lastDeliveredSeq: null,
    deliveredAt: null,
    lastSeenAt: null,
    ...cursors,
  };
}

/** Cursors at message `n`: read (which implies delivered), or delivered only. */
export const readUpTo = (n: number): Partial<ParticipantDto> => ({ lastReadMessageId: mid(n), lastReadSeq: n, ...deliveredUpTo(n) });
export const deliveredUpTo = (n: number): Partial<ParticipantDto> => ({ lastDeliveredMessageId: mid(n), lastDeliveredSeq: n });

/** A receipt moving `user`'s cursor to message `n`. */
export const receiptAt = (user: UserSummary, kind: 'read' | 'delivered', n: number) => ({
  conversationId: 'c-1',
  userId: user.id,
  kind,
  messageId: mid(n),
  seq: n,
  at: '2025-01-01T12:00:00.000Z',
});

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
    unreadMentionCount: 0,
    mutedUntil: null,
    archivedAt: null,
    formerMembers: [],
    left: null,
    ...extra,
  };
}
