// Pure updates of the cached conversation list from socket events, so the sidebar, unread counts
// and receipts change live without refetching. The list is kept newest activity first. Messages
// and receipt cursors are compared by seq (message-order.ts).
import type { ConversationDto, MessageDto, ParticipantDto } from '../protocol';
import { isMentioned } from '../chat/notification-policy';
import { cursorCovers, laterCursor } from './message-order';

export type ConversationList = ConversationDto[];

/** A receipt: the member's cursor moved to the message `messageId`, at `seq` in the conversation. */
export type ReceiptMove = { conversationId: string; userId: string; kind: CursorKind; messageId: string; seq: number; at: string };

function byActivity(a: ConversationDto, b: ConversationDto): number {
  if (a.lastActivityAt !== b.lastActivityAt) return a.lastActivityAt < b.lastActivityAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function upsertConversation(list: ConversationList | undefined, conversation: ConversationDto): ConversationList | undefined {
  if (!list) return list;
  const rest = list.filter((c) => c.id !== conversation.id);
  return [...rest, conversation].sort(byActivity);
}

export function removeConversation(list: ConversationList | undefined, conversationId: string): ConversationList | undefined {
  return list?.filter((c) => c.id !== conversationId);
}

function updateOne(
  list: ConversationList | undefined,
  conversationId: string,
  fn: (c: ConversationDto) => ConversationDto,
): ConversationList | undefined {
  if (!list) return list;
  let changed = false;
  const next = list.map((c) => {
    if (c.id !== conversationId) return c;
    const updated = fn(c);
    changed ||= updated !== c;
    return updated;
  });
  return changed ? next.sort(byActivity) : list;
}

/** Whether a message mentions me, for the "@" badge (@here counts: it stays in the history). */
export function mentionsMe(message: MessageDto, meId: string): boolean {
  return message.senderId !== meId && !message.deletedAt && isMentioned(message, meId, true);
}

/**
 * A new message moves its conversation to the top; one from someone else counts as unread, and
 * as an unread mention when it mentions me.
 */
export function applyNewMessage(list: ConversationList | undefined, message: MessageDto, meId: string): ConversationList | undefined {
  return updateOne(list, message.conversationId, (c) => {
    if (c.lastMessage && c.lastMessage.seq >= message.seq) {
      return c.lastMessage.id === message.id ? { ...c, lastMessage: message } : c;
    }
    const me = c.participants.find((p) => p.user.id === meId);
    // A timeline note is never news to count.
    const unread = message.senderId !== meId && !message.system && !cursorCovers(me?.lastReadSeq, message.seq);
    return {
      ...c,
      lastMessage: message,
      lastActivityAt: message.createdAt > c.lastActivityAt ? message.createdAt : c.lastActivityAt,
      unreadCount: c.unreadCount + (unread ? 1 : 0),
      unreadMentionCount: c.unreadMentionCount + (unread && mentionsMe(message, meId) ? 1 : 0),
    };
  });
}

/** Keeps the sidebar preview in step with edits and deletions of the last message. */
export function applyMessageChange(list: ConversationList | undefined, conversationId: string, change: (m: MessageDto) => MessageDto | null) {
  return updateOne(list, conversationId, (c) => {
    if (!c.lastMessage) return c;
    const changed = change(c.lastMessage);
    return changed && changed !== c.lastMessage ? { ...c, lastMessage: changed } : c;
  });
}

type CursorKind = 'read' | 'delivered';

function advance(p: ParticipantDto, { kind, messageId, seq, at }: ReceiptMove): ParticipantDto {
  // Reading implies delivery, so a read cursor also moves the delivered one.
  let next = p;
  if (!cursorCovers(p.lastDeliveredSeq, seq)) next = { ...next, lastDeliveredMessageId: messageId, lastDeliveredSeq: seq, deliveredAt: at };
  if (kind === 'read' && !cursorCovers(p.lastReadSeq, seq)) next = { ...next, lastReadMessageId: messageId, lastReadSeq: seq, readAt: at };
  return next;
}

/**
 * Moves a participant's read or delivered cursor forward (never back). When the reader is me,
 * `countUnreadAfter` tells how many messages from others (and how many of those mention me)
 * remain after my new read cursor.
 */
export function applyReceipt(
  list: ConversationList | undefined,
  receipt: ReceiptMove,
  me: { id: string; countUnreadAfter?: (seq: number) => { messages: number; mentions: number } | undefined },
): ConversationList | undefined {
  return updateOne(list, receipt.conversationId, (c) => {
    let changed = false;
    const participants = c.participants.map((p) => {
      if (p.user.id !== receipt.userId) return p;
      const next = advance(p, receipt);
      changed ||= next !== p;
      return next;
    });
    if (!changed) return c;
    let { unreadCount, unreadMentionCount } = c;
    if (receipt.kind === 'read' && receipt.userId === me.id) {
      const coversLast = !c.lastMessage || cursorCovers(receipt.seq, c.lastMessage.seq);
      const left = coversLast ? { messages: 0, mentions: 0 } : me.countUnreadAfter?.(receipt.seq);
      if (left) ({ messages: unreadCount, mentions: unreadMentionCount } = left);
    }
    return { ...c, participants, unreadCount, unreadMentionCount };
  });
}

function mergeParticipant(fresh: ParticipantDto, cached: ParticipantDto | undefined): ParticipantDto {
  if (!cached) return fresh;
  const readFresh = laterCursor(fresh.lastReadSeq, cached.lastReadSeq) === fresh.lastReadSeq;
  const deliveredFresh = laterCursor(fresh.lastDeliveredSeq, cached.lastDeliveredSeq) === fresh.lastDeliveredSeq;
  if (readFresh && deliveredFresh) return fresh;
  const read = readFresh ? fresh : cached;
  const delivered = deliveredFresh ? fresh : cached;
  return {
    ...fresh,
    lastReadMessageId: read.lastReadMessageId,
    lastReadSeq: read.lastReadSeq,
    readAt: read.readAt,
    lastDeliveredMessageId: delivered.lastDeliveredMessageId,
    lastDeliveredSeq: delivered.lastDeliveredSeq,
    deliveredAt: delivered.deliveredAt,
  };
}

/**
 * A refetched conversation, merged with what socket events put in the cache while the request
 * was under way: those may be newer than the server's answer. Receipt cursors and the last
 * message only move forward; the unread count is the cache's when the cache is ahead.
 */
export function mergeConversation(fresh: ConversationDto, cached: ConversationDto | undefined, meId: string): ConversationDto {
  if (!cached) return fresh;
  const cachedMessageIsNewer = cached.lastMessage != null && (!fresh.lastMessage || cached.lastMessage.seq > fresh.lastMessage.seq);
  const participants = fresh.participants.map((p) => mergeParticipant(p, cached.participants.find((c) => c.user.id === p.user.id)));
  const myFresh = fresh.participants.find((p) => p.user.id === meId)?.lastReadSeq ?? null;
  const myCached = cached.participants.find((p) => p.user.id === meId)?.lastReadSeq ?? null;
  const cachedReadIsNewer = myCached != null && (myFresh == null || myCached > myFresh);
  return {
    ...fresh,
    participants,
    lastMessage: cachedMessageIsNewer ? cached.lastMessage : fresh.lastMessage,
    lastActivityAt: cached.lastActivityAt > fresh.lastActivityAt ? cached.lastActivityAt : fresh.lastActivityAt,
    unreadCount: cachedMessageIsNewer || cachedReadIsNewer ? cached.unreadCount : fresh.unreadCount,
    unreadMentionCount: cachedMessageIsNewer || cachedReadIsNewer ? cached.unreadMentionCount : fresh.unreadMentionCount,
  };
}

export function mergeConversationLists(fresh: ConversationList, cached: ConversationList | undefined, meId: string): ConversationList {
  if (!cached) return fresh;
  const byId = new Map(cached.map((c) => [c.id, c]));
  return fresh.map((c) => mergeConversation(c, byId.get(c.id), meId)).sort(byActivity);
}
