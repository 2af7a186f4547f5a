// Redis for tests: the server to use, a key prefix per test (so files run in parallel on one
// Redis), clean-up, and a TCP proxy that can cut a client off from Redis and let it back.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniquePrefix(label = 't'): string {
  return `test:${label}:${randomUUID().slice(0, 8)}:`;
}

/** Deletes every key under a prefix. */
export async function deletePrefix(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Forwards a local port to Redis; `cut()` drops every connection and refuses new ones until `restore()`. */
export class RedisProxy {
  private server: net.Server | null = null;
  private readonly connections = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target = new URL(TEST_REDIS_URL)) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(Number(this.target.port || 6379), this.target.hostname);
      this.connections.add(client).add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.connections.delete(client);
        this.connections.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.connections) socket.destroy();
    this.connections.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async restore(): Promise<void> {
    await this.start();
  }
}
