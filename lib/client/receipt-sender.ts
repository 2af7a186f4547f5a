// Tells the server how far I have received and read, once per new high-water mark: receipts are
// cursors (seqs), so only the newest message matters and older or repeated marks are skipped.
import type { ChatCache } from './chat-cache';
import { cursorCovers } from './message-order';
import type { ChatSocket } from './socket';

/** A message as a receipt names it: its id for the server, its seq for comparing. */
export type MessageRef = { id: string; seq: number };

type Kind = 'read' | 'delivered';

export class ReceiptSender {
  private readonly sent = { read: new Map<string, number>(), delivered: new Map<string, number>() };

  constructor(
    private readonly socket: () => ChatSocket | null,
    private readonly cache: ChatCache,
  ) {}

  markDelivered(conversationId: string, message: MessageRef): void {
    this.mark('delivered', conversationId, message);
  }

  markRead(conversationId: string, message: MessageRef): void {
    this.mark('read', conversationId, message);
  }

  /** After a reconnect the server's cursors may be behind what was sent while offline. */
  reset(): void {
    this.sent.read.clear();
    this.sent.delivered.clear();
  }

  private mark(kind: Kind, conversationId: string, message: MessageRef): void {
    if (cursorCovers(this.cache.myCursor(conversationId, kind), message.seq)) return;
    if (cursorCovers(this.sent[kind].get(conversationId), message.seq)) return;
    const socket = this.socket();
    if (!socket?.connected) return;
    this.sent[kind].set(conversationId, message.seq);
    const event = kind === 'read' ? 'markAsRead' : 'markAsDelivered';
    socket.emit(event, { conversationId, messageId: message.id }, (ack) => {
      if (!ack.ok) {
        if (this.sent[kind].get(conversationId) === message.seq) this.sent[kind].delete(conversationId);
        return;
      }
      // The server also tells the room (me included) when the cursor moved; updating now keeps
      // the unread badge in step even if that event is slow.
      if (ack.advanced) {
        this.cache.receipt({ conversationId, userId: this.cache.meId, kind, messageId: message.id, seq: message.seq, at: new Date().toISOString() });
      }
    });
  }
}
