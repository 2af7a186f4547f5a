// Single-node presence and typing state, held in this process.
import type { Admission, PresenceStore, TypingStore } from './stores';

export class MemoryPresenceStore implements PresenceStore {
  private readonly sockets = new Map<string, Set<string>>();
  /** Sockets whose page reports hidden. */
  private readonly hidden = new Set<string>();

  async addSocket(userId: string, socketId: string): Promise<boolean> {
    let set = this.sockets.get(userId);
    const first = !set || set.size === 0;
    if (!set) this.sockets.set(userId, (set = new Set()));
    set.add(socketId);
    return first;
  }

  async admitSocket(userId: string, socketId: string, maxSockets: number): Promise<Admission> {
    const open = this.sockets.get(userId);
    if (open?.has(socketId)) return { admitted: true, first: false };
    if ((open?.size ?? 0) >= maxSockets) return { admitted: false };
    return { admitted: true, first: await this.addSocket(userId, socketId) };
  }

  async removeSocket(userId: string, socketId: string): Promise<boolean> {
    const set = this.sockets.get(userId);
    this.hidden.delete(socketId);
    if (!set || !set.delete(socketId)) return false;
    if (set.size > 0) return false;
    this.sockets.delete(userId);
    return true;
  }

  async setHidden(userId: string, socketId: string, hidden: boolean): Promise<void> {
    if (!this.sockets.get(userId)?.has(socketId)) return;
    if (hidden) this.hidden.add(socketId);
    else this.hidden.delete(socketId);
  }

  async visibleAmong(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => [...(this.sockets.get(id) ?? [])].some((socketId) => !this.hidden.has(socketId))));
  }

  async isOnline(userId: string): Promise<boolean> {
    return (this.sockets.get(userId)?.size ?? 0) > 0;
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => (this.sockets.get(id)?.size ?? 0) > 0));
  }

  onOrphaned(): void {
    // One process: sockets cannot outlive their node.
  }

  async close(): Promise<void> {
    this.sockets.clear();
    this.hidden.clear();
  }
}

export class MemoryTypingStore implements TypingStore {
  /** conversationId → userId → expiry time (ms). */
  private readonly typing = new Map<string, Map<string, number>>();

  async start(conversationId: string, userId: string, ttlMs: number): Promise<boolean> {
    let users = this.typing.get(conversationId);
    if (!users) this.typing.set(conversationId, (users = new Map()));
    const was = (users.get(userId) ?? 0) > Date.now();
    users.set(userId, Date.now() + ttlMs);
    return !was;
  }

  async stop(conversationId: string, userId: string): Promise<boolean> {
    const users = this.typing.get(conversationId);
    const expiry = users?.get(userId);
    if (!users || expiry === undefined) return false;
    users.delete(userId);
    if (users.size === 0) this.typing.delete(conversationId);
    return expiry > Date.now();
  }

  async typingIn(conversationId: string): Promise<string[]> {
    const users = this.typing.get(conversationId);
    if (!users) return [];
    const now = Date.now();
    return [...users].filter(([, expiry]) => expiry > now).map(([userId]) => userId);
  }

  async close(): Promise<void> {
    this.typing.clear();
  }
}
