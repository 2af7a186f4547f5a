// The push queue in Redis, shared by every node. A node takes a job with BLMOVE from the ready
// list into its own working list: Redis hands each job to one node only. Done jobs leave the
// working list; retries wait in a sorted set until due, and one node's tick moves them back to
// the ready list (a script, so no job is moved twice). A node beats a lease; when it stops
// beating (a crash), the next tick puts its unfinished jobs back on the ready list for another
// node: a push in flight at the crash may then go twice, one taken normally never does.
//
// Keys (P = key prefix):
//   P push:ready             list  jobs waiting (pushed left, taken right: first in, first out)
//   P push:delayed           zset  job → when it is due (ms, Redis clock)
//   P push:working:<nodeId>  list  jobs a node has taken and not finished
//   P push:workers           hash  nodeId → when its lease ends (ms, Redis clock)
import type { ClientContext, Redis, Result } from 'ioredis';
import type { JobQueue, TakenJob } from './queue';

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext = { type: 'default' }> {
    parleyPushRetry(working: string, delayed: string, job: string, next: string, delayMs: number): Result<number, Context>;
    parleyPushTick(workers: string, delayed: string, ready: string, prefix: string, nodeId: string, leaseMs: number): Result<number, Context>;
    parleyPushRelease(workers: string, working: string, ready: string, nodeId: string): Result<number, Context>;
  }
}

const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

const SCRIPTS = {
  parleyPushRetry: {
    numberOfKeys: 2,
    lua: `
      ${NOW}
      redis.call('LREM', KEYS[1], 1, ARGV[1])
      return redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[2])`,
  },
  // Renews this node's lease, moves due retries to the ready list, and gives the jobs of nodes
  // whose lease ran out back to it. Returns how many jobs it moved.
  parleyPushTick: {
    numberOfKeys: 3,
    lua: `
      ${NOW}
      local prefix, nodeId, lease = ARGV[1], ARGV[2], tonumber(ARGV[3])
      redis.call('HSET', KEYS[1], nodeId, now + lease)
      local moved = 0
      for _, job in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 200)) do
        redis.call('ZREM', KEYS[2], job)
        redis.call('LPUSH', KEYS[3], job)
        moved = moved + 1
      end
      local workers = redis.call('HGETALL', KEYS[1])
      for i = 1, #workers, 2 do
        if tonumber(workers[i + 1]) < now then
          local working = prefix .. 'push:working:' .. workers[i]
          while redis.call('RPOPLPUSH', working, KEYS[3]) do moved = moved + 1 end
          redis.call('HDEL', KEYS[1], workers[i])
        end
      end
      return moved`,
  },
  // A node stopping: what it has not finished goes back for the others.
  parleyPushRelease: {
    numberOfKeys: 3,
    lua: `
      local moved = 0
      while redis.call('RPOPLPUSH', KEYS[2], KEYS[3]) do moved = moved + 1 end
      redis.call('HDEL', KEYS[1], ARGV[1])
      return moved`,
  },
} as const;

export type RedisJobQueueOptions = {
  prefix: string;
  nodeId: string;
  /** A node silent this long has crashed: its unfinished jobs go to the others. */
  leaseMs: number;
  /** How often due retries are moved and leases checked. */
  tickMs?: number;
  onError?: (error: unknown) => void;
};

export class RedisJobQueue implements JobQueue {
  private readonly keys: { ready: string; delayed: string; working: string; workers: string };
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private ticking: Promise<unknown> | null = null;

  /**
   * `commands` is the node's ordinary client; `blocking` a connection of its own, held by the
   * waiting BLMOVE (closed with the queue).
   */
  constructor(
    private readonly commands: Redis,
    private readonly blocking: Redis,
    private readonly options: RedisJobQueueOptions,
  ) {
    for (const [name, definition] of Object.entries(SCRIPTS)) commands.defineCommand(name, definition);
    const p = options.prefix;
    this.keys = { ready: `${p}push:ready`, delayed: `${p}push:delayed`, working: `${p}push:working:${options.nodeId}`, workers: `${p}push:workers` };
    this.timer = setInterval(() => void this.tick(), options.tickMs ?? 500);
    this.timer.unref();
  }

  async start(): Promise<void> {
    await this.tick();
  }

  async push(job: string): Promise<void> {
    await this.commands.lpush(this.keys.ready, job);
  }

  async take(): Promise<TakenJob | null> {
    while (!this.closed) {
      let job: string | null;
      try {
        // A bounded wait, so a closed connection is noticed even if Redis never answers.
        job = await this.blocking.blmove(this.keys.ready, this.keys.working, 'RIGHT', 'LEFT', 2);
      } catch (error) {
        if (this.closed) return null;
        this.options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      if (job !== null) return this.taken(job);
    }
    return null;
  }

  private taken(job: string): TakenJob {
    const { working, delayed } = this.keys;
    return {
      job,
      done: async () => {
        await this.commands.lrem(working, 1, job);
      },
      retryIn: async (delayMs, next) => {
        await this.commands.parleyPushRetry(working, delayed, job, next, Math.max(0, Math.round(delayMs)));
      },
    };
  }

  private tick(): Promise<unknown> {
    if (this.closed) return Promise.resolve();
    const { workers, delayed, ready } = this.keys;
    this.ticking ??= this.commands
      .parleyPushTick(workers, delayed, ready, this.options.prefix, this.options.nodeId, this.options.leaseMs)
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.ticking = null;
      });
    return this.ticking;
  }

  stopTaking(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.blocking.disconnect();
  }

  /** Jobs this node took and did not finish go back to the ready list, for the other nodes. */
  async close(): Promise<void> {
    this.stopTaking();
    await this.ticking;
    const { workers, working, ready } = this.keys;
    await this.commands.parleyPushRelease(workers, working, ready, this.options.nodeId).catch((error: unknown) => this.options.onError?.(error));
  }
}
