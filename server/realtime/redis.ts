// Redis for a chat served by several nodes: the connections, the Socket.IO adapter over them,
// the Redis-backed rate limiter, and the one place that notices Redis going away and coming back
// (logged once each way, never once per failed call). While Redis is away a node keeps serving
// its own sockets: emits reach local sockets only, presence and typing answer from this node.
import { Redis } from 'ioredis';
import { createAdapter } from '@socket.io/redis-adapter';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '@/lib/logger';

const retryStrategy = (attempt: number) => Math.min(attempt * 100, 2000);

/**
 * For commands (stores, rate limiter, adapter publishing). While disconnected a call fails at once
 * rather than queueing without bound: the callers have a local fallback, and a cross-node emit
 * replayed minutes late is worse than one lost.
 */
export function createCommandClient(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    enableOfflineQueue: false,
    // A call in flight when the connection drops fails too (it is never silently replayed).
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy,
  });
}

/** For the adapter's subscriptions, which ioredis renews by itself after reconnecting. */
export function createSubscriberClient(url: string, name: string): Redis {
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: null, retryStrategy });
}

/** Resolves once the client is connected; rejects with the last error after the timeout. */
export function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    let lastError: unknown;
    const onError = (error: unknown) => (lastError = error);
    const done = (error?: unknown) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onReady = () => done();
    const timer = setTimeout(() => done(lastError ?? new Error(`Redis not ready after ${timeoutMs} ms`)), timeoutMs);
    client.on('ready', onReady);
    client.on('error', onError);
  });
}

/** Tracks whether every connection is up, and logs the transitions rather than each error. */
export class RedisHealth {
  private readonly down = new Set<string>();
  private suppressed = 0;
  private lastCommandLog = 0;
  private closing = false;

  constructor(private readonly logger: Logger) {}

  watch(client: Redis, name: string): void {
    const lost = (error?: unknown) => {
      if (this.closing) return;
      if (this.down.size === 0) {
        this.logger.error({ err: error, connection: name }, 'Redis unreachable: serving this node’s sockets only until it is back');
      } else if (error) {
        this.suppressed += 1;
      }
      this.down.add(name);
    };
    client.on('error', lost);
    client.on('close', () => lost());
    client.on('ready', () => {
      if (!this.down.delete(name) || this.down.size > 0) return;
      this.logger.warn({ suppressedErrors: this.suppressed }, 'Redis reachable again');
      this.suppressed = 0;
    });
  }

  /** A failed call: counted while Redis is known to be away, otherwise logged (at most once a minute). */
  readonly commandFailed = (error: unknown): void => {
    if (this.closing) return;
    if (this.down.size > 0) {
      this.suppressed += 1;
      return;
    }
    const now = Date.now();
    if (now - this.lastCommandLog < 60_000) {
      this.suppressed += 1;
      return;
    }
    this.lastCommandLog = now;
    this.logger.error({ err: error }, 'Redis call failed');
  };

  stopping(): void {
    this.closing = true;
  }
}

/**
 * The adapter fires `publish` (and its (un)subscribes) without handling the promise; with Redis
 * away the rejection would end the process. Report it instead (the emit still reached this node).
 */
function reportRejections(client: Redis, methods: readonly ('publish' | 'subscribe' | 'psubscribe' | 'unsubscribe' | 'punsubscribe')[], onError: (error: unknown) => void): void {
  for (const method of methods) {
    const original = (client[method] as (...args: unknown[]) => Promise<unknown>).bind(client);
    Object.assign(client, {
      [method]: (...args: unknown[]) => {
        const result = original(...args);
        result.catch(onError);
        return result;
      },
    });
  }
}

export type RedisConnections = {
  commands: Redis;
  health: RedisHealth;
  /** The Socket.IO adapter factory for `io.adapter(...)`. */
  adapter: ReturnType<typeof createAdapter>;
  /** A rate limiter shared by all nodes; this node's memory answers while Redis is away. */
  limiter(name: string, points: number, durationSec: number): RateLimiterAbstract;
  close(): Promise<void>;
};

export async function connectRedis(
  url: string,
  options: { prefix: string; nodeId: string; logger: Logger; connectTimeoutMs?: number },
): Promise<RedisConnections> {
  const { prefix, nodeId, logger } = options;
  const health = new RedisHealth(logger);
  const commands = createCommandClient(url, `parley-${nodeId}`);
  const subscriber = createSubscriberClient(url, `parley-${nodeId}-sub`);
  health.watch(commands, 'commands');
  health.watch(subscriber, 'subscriber');
  try {
    // Unreachable at start is a configuration problem: fail like an unreachable database does.
    await Promise.all([whenReady(commands, options.connectTimeoutMs ?? 10_000), whenReady(subscriber, options.connectTimeoutMs ?? 10_000)]);
  } catch (error) {
    health.stopping();
    commands.disconnect();
    subscriber.disconnect();
    throw new Error(`Cannot reach Redis at REDIS_URL: ${error instanceof Error ? error.message : String(error)}`);
  }
  reportRejections(commands, ['publish'], health.commandFailed);
  reportRejections(subscriber, ['subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'], health.commandFailed);

  return {
    commands,
    health,
    adapter: createAdapter(commands, subscriber, { key: `${prefix}socket.io` }),
    limiter(name, points, durationSec) {
      return new RateLimiterRedis({
        storeClient: commands,
        keyPrefix: `${prefix}rl:${name}`,
        points,
        duration: durationSec,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration: durationSec }),
      });
    },
    async close() {
      health.stopping();
      await Promise.all(
        [commands, subscriber].map(async (client) => {
          if (client.status !== 'ready') return client.disconnect();
          await client.quit().catch(() => client.disconnect());
        }),
      );
    },
  };
}
