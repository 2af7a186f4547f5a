// Work that one node at a time should do (the upload sweep): a lease in Redis taken with
// SET NX PX and given back only by its holder, or, on a single node, a flag in this process.
// A node that dies holding the lease loses it when it expires.
import type { Redis } from 'ioredis';

/** Runs `work` if this node gets the lease named `name`; resolves to false when another holds it. */
export type RunExclusive = (name: string, leaseMs: number, work: () => Promise<void>) => Promise<boolean>;

export function memoryExclusive(): RunExclusive {
  const running = new Set<string>();
  return async (name, _leaseMs, work) => {
    if (running.has(name)) return false;
    running.add(name);
    try {
      await work();
      return true;
    } finally {
      running.delete(name);
    }
  };
}

/** Deletes the key only while it still holds our token (a lease that expired may be someone else's now). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export function redisExclusive(redis: Redis, options: { prefix: string; nodeId: string }): RunExclusive {
  return async (name, leaseMs, work) => {
    const key = `${options.prefix}lease:${name}`;
    const token = `${options.nodeId}:${Date.now()}`;
    const taken = await redis.set(key, token, 'PX', leaseMs, 'NX');
    if (taken !== 'OK') return false;
    try {
      await work();
      return true;
    } finally {
      await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  };
}
