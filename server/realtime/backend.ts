// Where live state lives: in this process for a single node, or in Redis (with the Socket.IO
// Redis adapter) when REDIS_URL is set so several nodes serve one chat.
import type { Config } from '@/lib/config';
import type { Logger } from '@/lib/logger';
import type { PresenceStore, TypingStore } from '@/lib/realtime/stores';
import { MemoryPresenceStore, MemoryTypingStore } from '@/lib/realtime/memory-stores';
import type { ChatServerIO } from './types';

export type RealtimeBackend = {
  presence: PresenceStore;
  typing: TypingStore;
  /** Installs the cross-node adapter on the Socket.IO server, when there is one. */
  attach(io: ChatServerIO): void;
  close(): Promise<void>;
};

export async function createRealtimeBackend(config: Config, logger: Logger): Promise<RealtimeBackend> {
  void logger;
  if (config.redisUrl) {
    // Filled in by the multi-node work (lib/realtime/redis-stores.ts, server/realtime/redis.ts).
    throw new Error('REDIS_URL is set but the Redis backend is not available yet.');
  }
  const presence = new MemoryPresenceStore();
  const typing = new MemoryTypingStore();
  return {
    presence,
    typing,
    attach() {},
    async close() {
      await Promise.all([presence.close(), typing.close()]);
    },
  };
}
