// Presence: a user is online while any socket of theirs is open, on any node. Online and offline
// are told only to the people who share a conversation with them, never to everyone. Going
// offline waits a grace period, so a reload or a brief network blip does not flap.
import type { Db } from '@/lib/db/open';
import type { Logger } from '@/lib/logger';
import type { PresenceStore } from '@/lib/realtime/stores';
import { contactIdsOf, conversationIdsOf } from '@/lib/chat/membership';
import { touchLastSeen } from '@/lib/chat/users';
import { rooms } from '@/lib/protocol';
import type { ChatNamespace, ChatSocket } from './types';

export class PresenceTracker {
  /** Users whose last socket closed on this node, waiting out the grace period. */
  private readonly pendingOffline = new Map<string, NodeJS.Timeout>();
  /** Sockets admitted during their handshake, not connected yet: socket id → first of the user. */
  private readonly admitted = new Map<string, boolean>();

  constructor(
    private readonly chat: ChatNamespace,
    private readonly db: Db,
    private readonly store: PresenceStore,
    private readonly graceMs: number,
    private readonly logger: Logger,
  ) {
    // A crashed node's users: nobody closed their sockets, the store found them gone.
    store.onOrphaned((userIds) => {
      for (const userId of userIds) void this.announceOffline(userId).catch((error: unknown) => this.logger.warn({ err: error }, 'offline announcement failed'));
    });
  }

  /**
   * Counts a socket during its handshake, unless its user already has `maxSockets` open on all
   * nodes. Call it from the last handshake middleware: a socket that does not then connect (the
   * client left meanwhile) is uncounted right after.
   */
  async admit(socket: ChatSocket, maxSockets: number): Promise<boolean> {
    const admission = await this.store.admitSocket(socket.data.userId, socket.id, maxSockets);
    if (!admission.admitted) return false;
    this.admitted.set(socket.id, admission.first);
    setImmediate(() => {
      if (!this.admitted.delete(socket.id)) return;
      void this.store.removeSocket(socket.data.userId, socket.id).catch((error: unknown) => this.logger.warn({ err: error }, 'presence: uncounting a socket failed'));
    });
    return true;
  }

  async connected(socket: ChatSocket, conversationIds: readonly string[]): Promise<void> {
    const { userId, username } = socket.data;
    const admitted = this.admitted.get(socket.id);
    this.admitted.delete(socket.id);
    const first = admitted ?? (await this.store.addSocket(userId, socket.id));
    const pending = this.pendingOffline.get(userId);
    if (pending) {
      // Back within the grace period: nobody was told they left, so nothing to tell now.
      clearTimeout(pending);
      this.pendingOffline.delete(userId);
    } else if (first && conversationIds.length) {
      this.chat.to(conversationIds.map(rooms.conversation)).except(rooms.user(userId)).emit('userOnline', {
        userId,
        username,
        timestamp: new Date().toISOString(),
      });
    }
    const contacts = await contactIdsOf(this.db, userId);
    const online = contacts.length ? await this.store.onlineAmong(contacts) : new Set<string>();
    socket.emit('presenceState', { online: [...online] });
  }

  async disconnected(socket: ChatSocket): Promise<void> {
    const { userId, username } = socket.data;
    const last = await this.store.removeSocket(userId, socket.id);
    if (!last || this.pendingOffline.has(userId)) return;
    const timer = setTimeout(() => {
      this.pendingOffline.delete(userId);
      void (async () => {
        if (await this.store.isOnline(userId)) return; // came back, maybe on another node
        await this.announceOffline(userId, username);
      })().catch((error: unknown) => this.logger.warn({ err: error, userId }, 'offline announcement failed'));
    }, this.graceMs);
    timer.unref();
    this.pendingOffline.set(userId, timer);
  }

  private async announceOffline(userId: string, knownUsername?: string): Promise<void> {
    const at = new Date();
    await touchLastSeen(this.db, userId, at);
    const username = knownUsername ?? (await this.db.user.findUnique({ where: { id: userId }, select: { username: true } }))?.username;
    const conversationIds = await conversationIdsOf(this.db, userId);
    if (!username || conversationIds.length === 0) return;
    this.chat.to(conversationIds.map(rooms.conversation)).except(rooms.user(userId)).emit('userOffline', {
      userId,
      username,
      timestamp: at.toISOString(),
    });
  }

  close(): void {
    for (const timer of this.pendingOffline.values()) clearTimeout(timer);
    this.pendingOffline.clear();
  }
}
