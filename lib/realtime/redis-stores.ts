// Presence and typing shared by every node through Redis. Each node keeps its own sockets in
// memory too: that is the truth about this node, pushed to Redis again after Redis lost it
// (outage, restart) and the answer given while Redis cannot be reached.
//
// Keys (P = key prefix):
//   P presence:nodes              zset  nodeId → when it counts as dead (ms, Redis clock)
//   P presence:online             hash  userId → sockets on all nodes
//   P presence:node:<id>:users    hash  userId → sockets on that node
//   P presence:node:<id>:leaving  zset  userId → when their last socket there closed (in grace)
//   P presence:node:<id>:hidden   hash  userId → sockets on that node whose page reports hidden
//   P typing:<conversationId>     zset  userId → when their typing lapses; the key expires too
// Every change is one Lua script, so it is atomic across nodes. The reaper script builds the key
// names of dead nodes itself: this needs one Redis server (or a hash-tagged prefix on a cluster).
import type { ClientContext, Redis, Result } from 'ioredis';
import { MemoryTypingStore } from './memory-stores';
import type { Admission, PresenceStore, TypingStore } from './stores';

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext = { type: 'default' }> {
    parleyPresenceAdd(nodeUsers: string, online: string, leaving: string, userId: string): Result<number, Context>;
    parleyPresenceAdmit(nodeUsers: string, online: string, leaving: string, userId: string, maxSockets: number): Result<number, Context>;
    parleyPresenceRemove(nodeUsers: string, online: string, leaving: string, nodeHidden: string, userId: string, wasHidden: number): Result<number, Context>;
    parleyPresenceHide(nodeHidden: string, userId: string, delta: number): Result<number, Context>;
    parleyPresenceHiddenSync(nodeHidden: string, ...userCounts: (string | number)[]): Result<number, Context>;
    parleyPresenceVisible(nodes: string, online: string, prefix: string, ...userIds: string[]): Result<string[], Context>;
    parleyPresenceSync(nodeUsers: string, online: string, leaving: string, ...userCounts: (string | number)[]): Result<number, Context>;
    parleyPresenceTick(
      nodes: string,
      online: string,
      ownLeaving: string,
      prefix: string,
      nodeId: string,
      ttlMs: number,
      graceMs: number,
    ): Result<[number, string[]], Context>;
    parleyPresenceRetire(nodes: string, online: string, nodeUsers: string, leaving: string, nodeHidden: string, nodeId: string): Result<number, Context>;
    parleyTypingStart(key: string, userId: string, ttlMs: number): Result<number, Context>;
    parleyTypingStop(key: string, userId: string): Result<number, Context>;
    parleyTypingIn(key: string): Result<string[], Context>;
  }
}

/** Redis's own clock in ms, so nodes with skewed clocks agree on expiry. */
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

const SCRIPTS = {
  // A socket opened here: the user's total across nodes.
  parleyPresenceAdd: {
    numberOfKeys: 3,
    lua: `
      redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
      redis.call('ZREM', KEYS[3], ARGV[1])
      return redis.call('HINCRBY', KEYS[2], ARGV[1], 1)`,
  },
  // The same within a cap: -1 (and nothing changed) when the user already has that many.
  parleyPresenceAdmit: {
    numberOfKeys: 3,
    lua: `
      if tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0') >= tonumber(ARGV[2]) then return -1 end
      redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
      redis.call('ZREM', KEYS[3], ARGV[1])
      return redis.call('HINCRBY', KEYS[2], ARGV[1], 1)`,
  },
  // A socket closed here: the total left, or -1 when this node's entry is gone (it was reaped).
  // A hidden socket is uncounted from the hidden ones in the same step.
  parleyPresenceRemove: {
    numberOfKeys: 4,
    lua: `
      if ARGV[2] == '1' and redis.call('HINCRBY', KEYS[4], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[4], ARGV[1]) end
      local here = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
      if here <= 0 then return -1 end
      if here == 1 then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HINCRBY', KEYS[1], ARGV[1], -1) end
      local total = redis.call('HINCRBY', KEYS[2], ARGV[1], -1)
      if total > 0 then return total end
      redis.call('HDEL', KEYS[2], ARGV[1])
      ${NOW}
      redis.call('ZADD', KEYS[3], now, ARGV[1])
      return 0`,
  },
  // Replaces this node's counts with the ones it holds (ARGV: user, count, user, count, ...).
  parleyPresenceSync: {
    numberOfKeys: 3,
    lua: `
      local old = redis.call('HGETALL', KEYS[1])
      for i = 1, #old, 2 do
        if redis.call('HINCRBY', KEYS[2], old[i], -tonumber(old[i + 1])) <= 0 then redis.call('HDEL', KEYS[2], old[i]) end
      end
      redis.call('DEL', KEYS[1])
      for i = 1, #ARGV, 2 do
        redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
        redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1])
        redis.call('ZREM', KEYS[3], ARGV[i])
      end
      return #ARGV / 2`,
  },
  // A socket's page went hidden (delta 1) or visible again (-1).
  parleyPresenceHide: {
    numberOfKeys: 1,
    lua: `
      local n = redis.call('HINCRBY', KEYS[1], ARGV[1], tonumber(ARGV[2]))
      if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
      return n`,
  },
  // Replaces this node's hidden counts with the ones it holds (ARGV: user, count, ...).
  parleyPresenceHiddenSync: {
    numberOfKeys: 1,
    lua: `
      redis.call('DEL', KEYS[1])
      for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
      return #ARGV / 2`,
  },
  // Of these users, those with a visible tab: more sockets open (all nodes) than report hidden
  // (all nodes still registered, so a dead node not yet reaped counts on both sides alike).
  parleyPresenceVisible: {
    numberOfKeys: 2,
    lua: `
      local prefix = ARGV[1]
      local nodes = redis.call('ZRANGE', KEYS[1], 0, -1)
      local visible = {}
      for i = 2, #ARGV do
        local total = tonumber(redis.call('HGET', KEYS[2], ARGV[i]) or '0')
        if total > 0 then
          local hidden = 0
          for _, node in ipairs(nodes) do
            hidden = hidden + tonumber(redis.call('HGET', prefix .. 'presence:node:' .. node .. ':hidden', ARGV[i]) or '0')
          end
          if total > hidden then visible[#visible + 1] = ARGV[i] end
        end
      end
      return visible`,
  },
  // Heartbeat and reaper in one: renews this node, then takes over dead nodes. Because a script
  // runs alone, whichever node reaps a dead node's user claims it: nobody else sees it again.
  // Returns {1 if this node was not registered (first beat, or reaped while alive), orphaned users}.
  parleyPresenceTick: {
    numberOfKeys: 3,
    lua: `
      ${NOW}
      local prefix, nodeId, ttl, grace = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
      local fresh = redis.call('ZADD', KEYS[1], now + ttl, nodeId)
      -- This node announces its own leavers once their grace is over.
      redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - grace)
      local orphaned = {}
      for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 16)) do
        local users = prefix .. 'presence:node:' .. node .. ':users'
        local leaving = prefix .. 'presence:node:' .. node .. ':leaving'
        local counts = redis.call('HGETALL', users)
        for i = 1, #counts, 2 do
          if redis.call('HINCRBY', KEYS[2], counts[i], -tonumber(counts[i + 1])) <= 0 then
            redis.call('HDEL', KEYS[2], counts[i])
            orphaned[#orphaned + 1] = counts[i]
          end
        end
        redis.call('DEL', users)
        redis.call('DEL', prefix .. 'presence:node:' .. node .. ':hidden')
        -- Users whose last socket closed there: offline once their grace is over, unless back.
        for _, user in ipairs(redis.call('ZRANGEBYSCORE', leaving, '-inf', now - grace)) do
          if redis.call('HEXISTS', KEYS[2], user) == 0 then orphaned[#orphaned + 1] = user end
        end
        redis.call('ZREMRANGEBYSCORE', leaving, '-inf', now - grace)
        if redis.call('ZCARD', leaving) == 0 then redis.call('ZREM', KEYS[1], node) end
      end
      return {fresh, orphaned}`,
  },
  // A node stopping on purpose: its users start their grace now, and another node finishes it.
  parleyPresenceRetire: {
    numberOfKeys: 5,
    lua: `
      ${NOW}
      local counts = redis.call('HGETALL', KEYS[3])
      for i = 1, #counts, 2 do
        if redis.call('HINCRBY', KEYS[2], counts[i], -tonumber(counts[i + 1])) <= 0 then
          redis.call('HDEL', KEYS[2], counts[i])
          redis.call('ZADD', KEYS[4], now, counts[i])
        end
      end
      redis.call('DEL', KEYS[3])
      redis.call('DEL', KEYS[5])
      redis.call('ZADD', KEYS[1], 0, ARGV[1])
      return #counts / 2`,
  },
  // 1 when the user was not typing there (or their typing had lapsed).
  parleyTypingStart: {
    numberOfKeys: 1,
    lua: `
      ${NOW}
      local ttl = tonumber(ARGV[2])
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
      local added = redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
      if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
      return added`,
  },
  // 1 when the user was typing there.
  parleyTypingStop: {
    numberOfKeys: 1,
    lua: `
      ${NOW}
      local until_ = redis.call('ZSCORE', KEYS[1], ARGV[1])
      redis.call('ZREM', KEYS[1], ARGV[1])
      if until_ and tonumber(until_) > now then return 1 end
      return 0`,
  },
  parleyTypingIn: {
    numberOfKeys: 1,
    lua: `
      ${NOW}
      return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')`,
  },
} as const;

function defineScripts(redis: Redis): void {
  for (const [name, definition] of Object.entries(SCRIPTS)) redis.defineCommand(name, definition);
}

export type RedisStoreOptions = {
  /** Prefix of every key, e.g. "parley:"; tests give each run its own. */
  prefix?: string;
  /** Every failed Redis call, after the store has fallen back. The caller decides what to log. */
  onError?: (error: unknown) => void;
};

export type RedisPresenceOptions = RedisStoreOptions & {
  /** This process; random per process, so a restarted node is a new one. */
  nodeId: string;
  /** A node that has not beaten for this long is dead, and its users offline. */
  nodeTtlMs: number;
  /** How often this node beats and looks for dead nodes; a third of the TTL by default. */
  heartbeatMs?: number;
  /** The presence grace period: how long a user whose last socket closed may come back. */
  graceMs: number;
};

export class RedisPresenceStore implements PresenceStore {
  /** This node's open sockets (socketId → userId) and per-user counts. */
  private readonly sockets = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  /** This node's sockets whose page reports hidden, and their per-user counts. */
  private readonly hiddenSockets = new Set<string>();
  private readonly hiddenCounts = new Map<string, number>();
  private readonly listeners: ((userIds: string[]) => void)[] = [];
  private readonly keys: { nodes: string; online: string; nodeUsers: string; leaving: string; nodeHidden: string };
  private readonly prefix: string;
  private readonly timer: NodeJS.Timeout;
  private readonly pending = new Set<Promise<unknown>>();
  /** Redis may not hold this node's sockets as they are (a call failed, or it was reaped). */
  private stale = true;
  private ticking: Promise<void> | null = null;
  private closed = false;
  private readonly onReady = () => void this.tick();

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisPresenceOptions,
  ) {
    defineScripts(redis);
    this.prefix = options.prefix ?? 'parley:';
    const node = `${this.prefix}presence:node:${options.nodeId}`;
    this.keys = {
      nodes: `${this.prefix}presence:nodes`,
      online: `${this.prefix}presence:online`,
      nodeUsers: `${node}:users`,
      leaving: `${node}:leaving`,
      nodeHidden: `${node}:hidden`,
    };
    const heartbeatMs = options.heartbeatMs ?? Math.max(100, Math.floor(options.nodeTtlMs / 3));
    this.timer = setInterval(() => void this.tick(), heartbeatMs);
    this.timer.unref();
    // Back after an outage: give Redis this node's sockets again at once.
    redis.on('ready', this.onReady);
  }

  /** Registers the node (and reaps any dead one) now instead of at the first heartbeat. */
  async start(): Promise<void> {
    await this.tick();
  }

  async addSocket(userId: string, socketId: string): Promise<boolean> {
    if (this.sockets.has(socketId)) return false;
    this.sockets.set(socketId, userId);
    const local = (this.counts.get(userId) ?? 0) + 1;
    this.counts.set(userId, local);
    if (this.closed) return local === 1;
    const { nodeUsers, online, leaving } = this.keys;
    const total = await this.attempt(() => this.redis.parleyPresenceAdd(nodeUsers, online, leaving, userId));
    return total === undefined ? local === 1 : total === 1;
  }

  async admitSocket(userId: string, socketId: string, maxSockets: number): Promise<Admission> {
    if (this.sockets.has(socketId)) return { admitted: true, first: false };
    // Counted here first, like addSocket, so a resync sent meanwhile includes it.
    this.sockets.set(socketId, userId);
    const local = (this.counts.get(userId) ?? 0) + 1;
    this.counts.set(userId, local);
    const { nodeUsers, online, leaving } = this.keys;
    const total = this.closed
      ? undefined
      : await this.attempt(() => this.redis.parleyPresenceAdmit(nodeUsers, online, leaving, userId, maxSockets));
    // Without Redis, this node's own count is the best answer there is.
    const refused = total === undefined ? local > maxSockets : total < 0;
    if (!refused) return { admitted: true, first: total === undefined ? local === 1 : total === 1 };
    this.sockets.delete(socketId);
    if (local > 1) this.counts.set(userId, local - 1);
    else this.counts.delete(userId);
    // A resync sent while the script ran counted this socket: send the counts again.
    if (this.ticking) this.stale = true;
    return { admitted: false };
  }

  async removeSocket(userId: string, socketId: string): Promise<boolean> {
    if (this.sockets.get(socketId) !== userId) return false;
    this.sockets.delete(socketId);
    const wasHidden = this.hiddenSockets.delete(socketId);
    if (wasHidden) this.countHidden(userId, -1);
    const local = (this.counts.get(userId) ?? 1) - 1;
    if (local > 0) this.counts.set(userId, local);
    else this.counts.delete(userId);
    if (this.closed) return local === 0;
    const { nodeUsers, online, leaving } = this.keys;
    const { nodeHidden } = this.keys;
    const total = await this.attempt(() => this.redis.parleyPresenceRemove(nodeUsers, online, leaving, nodeHidden, userId, wasHidden ? 1 : 0));
    if (total === undefined) return local === 0;
    if (total < 0) {
      // Redis lost this node's sockets (reaped while alive, or restarted): resync, answer locally.
      this.stale = true;
      void this.tick();
      return local === 0;
    }
    return total === 0;
  }

  async setHidden(userId: string, socketId: string, hidden: boolean): Promise<void> {
    if (this.sockets.get(socketId) !== userId || this.hiddenSockets.has(socketId) === hidden) return;
    if (hidden) this.hiddenSockets.add(socketId);
    else this.hiddenSockets.delete(socketId);
    this.countHidden(userId, hidden ? 1 : -1);
    if (this.closed) return;
    await this.attempt(() => this.redis.parleyPresenceHide(this.keys.nodeHidden, userId, hidden ? 1 : -1));
  }

  async visibleAmong(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const visible = await this.attempt(() => this.redis.parleyPresenceVisible(this.keys.nodes, this.keys.online, this.prefix, ...userIds));
    // Without Redis, this node's own sockets are the best answer there is.
    if (visible === undefined) return new Set(userIds.filter((id) => (this.counts.get(id) ?? 0) > (this.hiddenCounts.get(id) ?? 0)));
    return new Set(visible);
  }

  private countHidden(userId: string, delta: number): void {
    const next = (this.hiddenCounts.get(userId) ?? 0) + delta;
    if (next > 0) this.hiddenCounts.set(userId, next);
    else this.hiddenCounts.delete(userId);
  }

  async isOnline(userId: string): Promise<boolean> {
    const found = await this.attempt(() => this.redis.hexists(this.keys.online, userId));
    return found === undefined ? this.counts.has(userId) : found === 1;
  }

  async onlineAmong(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const totals = await this.attempt(() => this.redis.hmget(this.keys.online, ...userIds));
    if (totals === undefined) return new Set(userIds.filter((id) => this.counts.has(id)));
    return new Set(userIds.filter((_, i) => totals[i] !== null));
  }

  onOrphaned(listener: (userIds: string[]) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Stops beating. The node's users start their grace period now; another node announces the ones
   * who do not come back (a restarting node's users usually reconnect elsewhere meanwhile).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.redis.off('ready', this.onReady);
    await Promise.allSettled([...this.pending, this.ticking]);
    const { nodes, online, nodeUsers, leaving, nodeHidden } = this.keys;
    await this.attempt(() => this.redis.parleyPresenceRetire(nodes, online, nodeUsers, leaving, nodeHidden, this.options.nodeId));
    this.sockets.clear();
    this.counts.clear();
    this.hiddenSockets.clear();
    this.hiddenCounts.clear();
  }

  private tick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.ticking ??= this.beat().finally(() => {
      this.ticking = null;
    });
    return this.ticking;
  }

  private async beat(): Promise<void> {
    const { nodes, online, leaving, nodeUsers } = this.keys;
    const { nodeId, nodeTtlMs, graceMs } = this.options;
    const result = await this.attempt(() => this.redis.parleyPresenceTick(nodes, online, leaving, this.prefix, nodeId, nodeTtlMs, graceMs));
    if (!result) return;
    const [fresh, orphaned] = result;
    if (fresh === 1 || this.stale) {
      // Sent on the same connection as later adds and removes, so they apply on top of it.
      this.stale = false;
      const userCounts = [...this.counts].flat();
      const synced = await this.attempt(() => this.redis.parleyPresenceSync(nodeUsers, online, leaving, ...userCounts));
      const hiddenSynced = await this.attempt(() => this.redis.parleyPresenceHiddenSync(this.keys.nodeHidden, ...[...this.hiddenCounts].flat()));
      if (synced === undefined || hiddenSynced === undefined) this.stale = true;
    }
    const users = [...new Set(orphaned)];
    if (users.length) for (const listener of this.listeners) listener(users);
  }

  /** Runs one Redis call; undefined when it failed (reported, and Redis marked stale). */
  private async attempt<T>(call: () => Promise<T>): Promise<T | undefined> {
    const promise = call();
    this.pending.add(promise);
    try {
      return await promise;
    } catch (error) {
      this.stale = true;
      this.options.onError?.(error);
      return undefined;
    } finally {
      this.pending.delete(promise);
    }
  }
}

/** Who is typing where, with Redis expiring what clients never stop; in memory while Redis is away. */
export class RedisTypingStore implements TypingStore {
  private readonly fallback = new MemoryTypingStore();
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisStoreOptions = {},
  ) {
    defineScripts(redis);
    this.prefix = options.prefix ?? 'parley:';
  }

  private key(conversationId: string): string {
    return `${this.prefix}typing:${conversationId}`;
  }

  async start(conversationId: string, userId: string, ttlMs: number): Promise<boolean> {
    try {
      return (await this.redis.parleyTypingStart(this.key(conversationId), userId, ttlMs)) === 1;
    } catch (error) {
      this.options.onError?.(error);
      return this.fallback.start(conversationId, userId, ttlMs);
    }
  }

  async stop(conversationId: string, userId: string): Promise<boolean> {
    try {
      return (await this.redis.parleyTypingStop(this.key(conversationId), userId)) === 1;
    } catch (error) {
      this.options.onError?.(error);
      return this.fallback.stop(conversationId, userId);
    }
  }

  async typingIn(conversationId: string): Promise<string[]> {
    try {
      return await this.redis.parleyTypingIn(this.key(conversationId));
    } catch (error) {
      this.options.onError?.(error);
      return this.fallback.typingIn(conversationId);
    }
  }

  async close(): Promise<void> {
    await this.fallback.close();
  }
}
