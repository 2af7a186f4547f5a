// Tells the server how far I have received and read, once per new high-water mark: receipts are
// cursors, so only the newest message matters and older or repeated marks are skipped.
import type { QueryClient } from '@tanstack/react-query';
import type { UserSummary } from '../protocol';
import { cacheReceipt, getConversations } from './chat-cache';
import { cursorCovers } from './message-order';
import type { ChatSocket } from './socket';

export type ReceiptSender = {
  markDelivered: (conversationId: string, messageId: string) => void;
  markRead: (conversationId: string, messageId: string) => void;
  /** After a reconnect the server's cursors may be behind what was sent while offline. */
  reset: () => void;
};

export function createReceiptSender(socket: ChatSocket, qc: QueryClient, me: UserSummary): ReceiptSender {
  const sent = { read: new Map<string, string>(), delivered: new Map<string, string>() };

  function myCursor(conversationId: string, kind: 'read' | 'delivered'): string | null {
    const me_ = getConversations(qc)
      ?.find((c) => c.id === conversationId)
      ?.participants.find((p) => p.user.id === me.id);
    return (kind === 'read' ? me_?.lastReadMessageId : me_?.lastDeliveredMessageId) ?? null;
  }

  function mark(kind: 'read' | 'delivered', conversationId: string, messageId: string): void {
    if (cursorCovers(myCursor(conversationId, kind), messageId)) return;
    if (cursorCovers(sent[kind].get(conversationId), messageId)) return;
    if (!socket.connected) return;
    sent[kind].set(conversationId, messageId);
    const event = kind === 'read' ? 'markAsRead' : 'markAsDelivered';
    socket.emit(event, { conversationId, messageId }, (ack) => {
      if (!ack.ok) {
        sent[kind].delete(conversationId);
        return;
      }
      // The server also tells the room (me included) when the cursor moved; updating now keeps
      // the unread badge in step even if that event is slow.
      if (ack.advanced) cacheReceipt(qc, { conversationId, userId: me.id, kind, messageId, at: new Date().toISOString() }, me.id);
    });
  }

  return {
    markDelivered: (conversationId, messageId) => mark('delivered', conversationId, messageId),
    markRead: (conversationId, messageId) => mark('read', conversationId, messageId),
    reset: () => {
      sent.read.clear();
      sent.delivered.clear();
    },
  };
}
