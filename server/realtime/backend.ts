// Where live state lives: in this process for a single node, or in Redis (with the Socket.IO
// Redis adapter) when REDIS_URL is set so several nodes serve one chat.
import { randomUUID } from 'node:crypto';
import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '@/lib/config';
import type { Logger } from '@/lib/logger';
import type { PresenceStore, TypingStore } from '@/lib/realtime/stores';
import { MemoryPresenceStore, MemoryTypingStore } from '@/lib/realtime/memory-stores';
import { RedisPresenceStore, RedisTypingStore } from '@/lib/realtime/redis-stores';
import { memoryExclusive, redisExclusive, type RunExclusive } from '@/lib/realtime/exclusive';
import type { JobQueue } from '@/lib/push/queue';
import { MemoryJobQueue } from '@/lib/push/queue';
import { RedisJobQueue } from '@/lib/push/redis-queue';
import { connectRedis, createSubscriberClient } from './redis';
import type { ChatServerIO } from './types';

export type RealtimeBackend = {
  /** This process among the nodes serving the chat. */
  nodeId: string;
  presence: PresenceStore;
  typing: TypingStore;
  /** Web Push work, shared by the nodes: each job is taken by one of them (lib/push/). */
  pushQueue: JobQueue;
  /** Installs the cross-node adapter on the Socket.IO server, when there is one. */
  attach(io: ChatServerIO): void;
  /** A rate limiter whose budget all nodes share (per node without Redis). */
  limiter(name: string, points: number, durationSec: number): RateLimiterAbstract;
  /** Work one node at a time does (a lease in Redis; in this process without it). */
  runExclusive: RunExclusive;
  /** Answers once Redis does (readiness); absent without Redis. */
  pingRedis?: () => Promise<unknown>;
  close(): Promise<void>;
};

export async function createRealtimeBackend(config: Config, logger: Logger): Promise<RealtimeBackend> {
  const nodeId = randomUUID();
  if (config.redisUrl) return redisBackend(config.redisUrl, config, logger, nodeId);
  const presence = new MemoryPresenceStore();
  const typing = new MemoryTypingStore();
  return {
    nodeId,
    presence,
    typing,
    pushQueue: new MemoryJobQueue(),
    attach() {},
    limiter: (_name, points, duration) => new RateLimiterMemory({ points, duration }),
    runExclusive: memoryExclusive(),
    async close() {
      await Promise.all([presence.close(), typing.close()]);
    },
  };
}

async function redisBackend(url: string, config: Config, logger: Logger, nodeId: string): Promise<RealtimeBackend> {
  const prefix = config.redisKeyPrefix;
  const redis = await connectRedis(url, { prefix, nodeId, logger });
  const onError = redis.health.commandFailed;
  const presence = new RedisPresenceStore(redis.commands, {
    prefix,
    nodeId,
    nodeTtlMs: config.presenceNodeTtlMs,
    graceMs: config.presenceGraceMs,
    onError,
  });
  await presence.start();
  const typing = new RedisTypingStore(redis.commands, { prefix, onError });
  // BLMOVE holds its connection while it waits: the queue gets one of its own.
  const pushQueue = new RedisJobQueue(redis.commands, createSubscriberClient(url, `parley-${nodeId}-push`), {
    prefix,
    nodeId,
    leaseMs: config.presenceNodeTtlMs,
    onError,
  });
  await pushQueue.start();
  logger.info({ nodeId }, 'realtime state in Redis, shared with the other nodes');
  return {
    nodeId,
    presence,
    typing,
    pushQueue,
    attach(io) {
      io.adapter(redis.adapter);
    },
    limiter: redis.limiter,
    runExclusive: redisExclusive(redis.commands, { prefix, nodeId }),
    pingRedis: () => redis.commands.ping(),
    async close() {
      await presence.close();
      await typing.close();
      await pushQueue.close();
      await redis.close();
    },
  };
}
