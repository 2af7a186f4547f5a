// Typing indicators: relayed to the other members of the conversation, throttled per user, and
// cleared by themselves when a client never says it stopped (closed tab, lost network).
import type { TypingStore } from '@/lib/realtime/stores';
import { rooms } from '@/lib/protocol';
import type { ChatNamespace, ChatSocket } from './types';

/** How long one "typing" lasts unless refreshed. Clients refresh every few seconds while typing. */
export const TYPING_TTL_MS = 6000;
/** At most one "started typing" relay per user and conversation in this interval. */
const RELAY_INTERVAL_MS = 2000;

export class TypingRelay {
  private readonly expiry = new Map<string, NodeJS.Timeout>();
  private readonly lastRelay = new Map<string, number>();

  constructor(
    private readonly chat: ChatNamespace,
    private readonly store: TypingStore,
  ) {}

  async start(socket: ChatSocket, conversationId: string): Promise<void> {
    const { userId } = socket.data;
    const key = `${conversationId}:${userId}`;
    const newly = await this.store.start(conversationId, userId, TYPING_TTL_MS);
    const now = Date.now();
    if (newly || now - (this.lastRelay.get(key) ?? 0) >= RELAY_INTERVAL_MS) {
      this.lastRelay.set(key, now);
      this.relay(socket, conversationId, true);
    }
    clearTimeout(this.expiry.get(key));
    const timer = setTimeout(() => void this.stop(socket, conversationId), TYPING_TTL_MS);
    timer.unref();
    this.expiry.set(key, timer);
  }

  async stop(socket: ChatSocket, conversationId: string): Promise<void> {
    const key = `${conversationId}:${socket.data.userId}`;
    // Typing started here is stopped here, even when the store's entry has just expired.
    const startedHere = this.expiry.has(key);
    clearTimeout(this.expiry.get(key));
    this.expiry.delete(key);
    this.lastRelay.delete(key);
    const stored = await this.store.stop(conversationId, socket.data.userId);
    if (startedHere || stored) this.relay(socket, conversationId, false);
  }

  /** Clears everything a closing socket's user was typing (in the conversations it typed in). */
  async socketClosed(socket: ChatSocket, conversationIds: Iterable<string>): Promise<void> {
    await Promise.all([...conversationIds].map((id) => this.stop(socket, id)));
  }

  private relay(socket: ChatSocket, conversationId: string, isTyping: boolean): void {
    const { userId, username } = socket.data;
    this.chat.to(rooms.conversation(conversationId)).except(rooms.user(userId)).emit('userTyping', {
      userId,
      username,
      conversationId,
      isTyping,
      timestamp: new Date().toISOString(),
    });
  }

  close(): void {
    for (const timer of this.expiry.values()) clearTimeout(timer);
    this.expiry.clear();
  }
}
