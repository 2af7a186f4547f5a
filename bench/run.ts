// `npm run bench -- [flags]`: the chat under load, next to a bare Socket.IO relay as the ceiling.
// Creates users in group conversations straight in a fresh database, starts the server as its
// own process(es) (so their memory can be read), connects every user over websocket from load
// worker processes, sends messages at a fixed total rate for a fixed time, and prints one line:
// connect time, messages persisted/s, deliveries/s, send→newMessage latency, loss, server memory
// and CPU, and the same figures of the bare relay as a ratio. Loopback only; it stops by itself.
//
//   --setup pglite|postgres|redis   one node on PGlite, one on PostgreSQL, or two nodes on
//                                   PostgreSQL sharing Redis (default postgres)
//   --users 1000 --room 10          users, in conversations of this many members
//   --rate 1000 --duration 20       messages per second in total, for this many seconds
//   --warmup 3 --content 100        seconds sent but not measured; message length
//   --workers 1 --concurrency 200   load processes; handshakes in flight per worker
//   --idle 5                        seconds all sockets stay idle before memory is read
//   --no-bare | --bare-only         skip the relay / run only the relay
//   --json <file>                   also append the figures as a JSON line
//   --profile <dir>                 write the servers' CPU profiles (.cpuprofile) there (the relay's in <dir>/relay)
//   --wait-idle 120                 before each measurement, wait up to this many seconds for
//                                   the machine to be idle (it is shared); default 0
//   --seed-sql "<SQL>"              run on the database after seeding (to try a schema change)
//   --sweep 1000:8000:500           capacity: step the rate from..to by step (each step --warmup
//                                   and --duration long, on the same connected sockets) until p99
//                                   exceeds --budget (ms, default 50), something is lost, or fewer
//                                   than 98% of the sends are persisted (a failing step is run
//                                   once more before it counts: the machine is shared); prints a
//                                   line per step and the highest rate each target held
import { appendFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { createBenchDatabase, seedUsersAndRooms, type BenchDatabase, type BenchUser } from './seed';
import { cpuSecondsOf, cpuSecondsOfCommands, freePort, machineTicks, memoryOf, spawnTs, stopChild, waitForQuiet, waitForSocketIo, watchdog } from './proc';
import { mb, ms, percentiles } from './stats';
import type { ConnectReport, RunReport, WorkerCommand } from './load';
import { Redis } from 'ioredis';

const { values: flags } = parseArgs({
  options: {
    setup: { type: 'string', default: 'postgres' },
    users: { type: 'string', default: '1000' },
    room: { type: 'string', default: '10' },
    rate: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    content: { type: 'string', default: '100' },
    workers: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '200' },
    idle: { type: 'string', default: '5' },
    'no-bare': { type: 'boolean', default: false },
    'bare-only': { type: 'boolean', default: false },
    json: { type: 'string' },
    profile: { type: 'string' },
    'wait-idle': { type: 'string', default: '0' },
    'seed-sql': { type: 'string' },
    sweep: { type: 'string' },
    budget: { type: 'string', default: '50' },
  },
});

const setup = flags.setup as 'pglite' | 'postgres' | 'redis';
if (!['pglite', 'postgres', 'redis'].includes(setup)) throw new Error('--setup is pglite, postgres or redis');
const ROOM = Number(flags.room);
const RATE = Number(flags.rate);
const BUDGET_MS = Number(flags.budget);
/** The rates to run: one, or the sweep's ladder. */
const RATES = flags.sweep ? ladder(flags.sweep) : [RATE];
const MAX_RATE = Math.max(...RATES);
/** Enough users that no one exceeds the chat's per-user send limit (6/s) at the highest rate. */
const USERS = Math.max(Number(flags.users), Math.ceil(MAX_RATE / 5 / ROOM) * ROOM);
const DURATION_MS = Number(flags.duration) * 1000;
const WARMUP_MS = Number(flags.warmup) * 1000;
const WORKERS = Number(flags.workers);
const IDLE_MS = Number(flags.idle) * 1000;
const WAIT_IDLE_MS = Number(flags['wait-idle']) * 1000;
const NODES = setup === 'redis' ? 2 : 1;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = randomBytes(32).toString('hex');

function ladder(spec: string): number[] {
  const [from, to, step] = spec.split(':').map(Number);
  if (!from || !to || !step || from > to || step <= 0) throw new Error('--sweep is from:to:step, e.g. 1000:8000:500');
  const rates: number[] = [];
  for (let rate = from; rate <= to; rate += step) rates.push(rate);
  return rates;
}

// However it goes, the run ends: set-up, both targets and clean-up get a generous bound.
watchdog(10 * 60_000 + 2 * (2 * RATES.length * (WARMUP_MS + DURATION_MS + 5000) + IDLE_MS + WAIT_IDLE_MS) + USERS * 20, 'bench');

const hr = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (t: number) => new Promise((resolve) => setTimeout(resolve, t));

type Figures = {
  target: 'chat' | 'bare';
  rate: number;
  connected: number;
  connectFailed: number;
  connectSeconds: number;
  persistedPerSec: number;
  deliveriesPerSec: number;
  latency: number[];
  ackLatency: number[];
  loss: number;
  lossRatio: number;
  ackFailed: number;
  disconnects: number;
  rssBase: number;
  rssConnected: number;
  rssPeak: number;
  kbPerSocket: number;
  cpuPercent: number;
  /** Of all cores, busy during the window (server, load workers, PostgreSQL, Redis, others). */
  machinePercent: number;
  workerCpuPercent: number;
  /** PostgreSQL and Redis processes (all of them: other databases on the server count too). */
  storesCpuPercent: number;
};

function request<T>(worker: ChildProcess, command: WorkerCommand): Promise<T> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`load worker exited with ${code}`));
    worker.once('message', (reply) => {
      // A sweep asks the same worker many times: leave no listener behind.
      worker.off('exit', exited);
      resolve(reply as T);
    });
    worker.once('exit', exited);
    worker.send(command);
  });
}

async function startServers(target: 'chat' | 'bare', db: BenchDatabase | null, redisPrefix: string): Promise<{ urls: string[]; servers: ChildProcess[] }> {
  const urls: string[] = [];
  const servers: ChildProcess[] = [];
  for (let i = 0; i < NODES; i += 1) {
    const port = await freePort();
    const redis: Record<string, string> = NODES > 1 ? { REDIS_URL, REDIS_KEY_PREFIX: redisPrefix } : {};
    const server =
      target === 'chat'
        ? spawnTs('server/index.ts', {
            nodeArgs: flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${flags.profile}`] : [],
            env: {
              ...db!.env,
              ...redis,
              NODE_ENV: 'production',
              HOST: '127.0.0.1',
              PORT: String(port),
              AUTH_SECRET: SECRET,
              LOG_LEVEL: 'warn',
              SERVE_WEB: 'false',
            },
          })
        : spawnTs('bench/bare-relay.ts', { nodeArgs: flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${flags.profile}/relay`] : [], env: { ...redis, PORT: String(port) } });
    servers.push(server);
    urls.push(`http://127.0.0.1:${port}`);
  }
  await Promise.all(urls.map((url, i) => waitForSocketIo(url, servers[i]!)));
  return { urls, servers };
}

const memory = (servers: ChildProcess[]) =>
  servers.map((s) => memoryOf(s.pid!)).reduce((a, b) => ({ rss: a.rss + b.rss, peak: a.peak + b.peak }), { rss: 0, peak: 0 });
const cpu = (servers: ChildProcess[]) => servers.reduce((sum, s) => sum + cpuSecondsOf(s.pid!), 0);

type Connected = {
  target: 'chat' | 'bare';
  servers: ChildProcess[];
  workers: ChildProcess[];
  redisPrefix: string;
  connected: number;
  connectFailed: number;
  connectSeconds: number;
  rssBase: number;
  rssConnected: number;
};

/** Starts the target's server(s) and load workers, and connects every user. */
async function connectTarget(target: 'chat' | 'bare', users: BenchUser[], db: BenchDatabase | null): Promise<Connected> {
  const redisPrefix = `bench:${randomBytes(4).toString('hex')}:`;
  const { urls, servers } = await startServers(target, db, redisPrefix);
  const workers = Array.from({ length: WORKERS }, () => spawnTs('bench/load.ts', { ipc: true }));
  const session = { target, servers, workers, redisPrefix };
  try {
    await sleep(2000);
    const rssBase = memory(servers).rss;
    const connects = await Promise.all(
      workers.map((worker, w) =>
        request<ConnectReport>(worker, {
          type: 'connect',
          mode: target,
          urls,
          users: users.filter((_, i) => i % WORKERS === w),
          secret: SECRET,
          concurrency: Number(flags.concurrency),
        }),
      ),
    );
    const connected = connects.reduce((sum, c) => sum + c.connected, 0);
    const connectFailed = connects.reduce((sum, c) => sum + c.failed, 0);
    if (connectFailed) console.warn(`${target}: ${connectFailed} sockets failed to connect (${connects.find((c) => c.firstError)?.firstError})`);
    await sleep(IDLE_MS);
    return {
      ...session,
      connected,
      connectFailed,
      connectSeconds: Math.max(...connects.map((c) => c.ms)) / 1000,
      rssBase,
      rssConnected: memory(servers).rss,
    };
  } catch (error) {
    await disconnectTarget(session);
    throw error;
  }
}

async function disconnectTarget({ servers, workers, redisPrefix }: Pick<Connected, 'servers' | 'workers' | 'redisPrefix'>): Promise<void> {
  await Promise.all(workers.map((worker) => request(worker, { type: 'close' }).catch(() => undefined)));
  for (const worker of workers) worker.kill('SIGKILL');
  await Promise.all(servers.map((server) => stopChild(server)));
  if (NODES > 1) await deleteRedisPrefix(redisPrefix);
}

/** Sends at `rate` messages/s in total for the warm-up and the measured window, and reads the figures. */
async function runAt(session: Connected, rate: number): Promise<Figures> {
  const { target, servers, workers, connected } = session;
  if (WAIT_IDLE_MS && !(await waitForQuiet(WAIT_IDLE_MS, 0.15 + (0.5 * connected) / 10_000))) {
    console.warn(`${target}: the machine stayed busy; measuring anyway`);
  }
  const startAt = hr() + 1000;
  const windowStart = startAt + WARMUP_MS;
  const sample = () => ({ server: cpu(servers), workers: cpu(workers), stores: cpuSecondsOfCommands(['postgres', 'redis-server']), machine: machineTicks() });
  let atStart = sample();
  let atEnd = atStart;
  setTimeout(() => (atStart = sample()), windowStart - hr());
  setTimeout(() => (atEnd = sample()), windowStart + DURATION_MS - hr());
  const results = await Promise.all(
    workers.map((worker) =>
      request<RunReport>(worker, {
        type: 'run',
        startAt,
        warmupMs: WARMUP_MS,
        durationMs: DURATION_MS,
        rate: rate / WORKERS,
        contentSize: Number(flags.content),
        drainMs: 15_000,
      }),
    ),
  );
  // The process's high-water mark: in a sweep, the peak of this step or an earlier one.
  const rssPeak = memory(servers).peak;

  const seconds = DURATION_MS / 1000;
  const sent = results.reduce((sum, r) => sum + r.sent, 0);
  const acked = results.reduce((sum, r) => sum + r.acked, 0);
  const received = results.reduce((sum, r) => sum + r.received, 0);
  const expected = sent * Math.min(ROOM, USERS);
  const latencies = new Float64Array(received);
  const ackLatencies = new Float64Array(acked);
  let offset = 0;
  let ackOffset = 0;
  for (const r of results) {
    latencies.set(r.latencies, offset);
    offset += r.latencies.length;
    ackLatencies.set(r.ackLatencies, ackOffset);
    ackOffset += r.ackLatencies.length;
  }
  return {
    target,
    rate,
    connected,
    connectFailed: session.connectFailed,
    connectSeconds: session.connectSeconds,
    persistedPerSec: acked / seconds,
    deliveriesPerSec: received / seconds,
    latency: percentiles(latencies),
    ackLatency: percentiles(ackLatencies),
    loss: Math.max(0, expected - received),
    lossRatio: expected ? Math.max(0, expected - received) / expected : 0,
    ackFailed: results.reduce((sum, r) => sum + r.ackFailed, 0),
    disconnects: results.reduce((sum, r) => sum + r.disconnects, 0),
    rssBase: session.rssBase,
    rssConnected: session.rssConnected,
    rssPeak,
    kbPerSocket: connected ? (session.rssConnected - session.rssBase) / connected / 1024 : 0,
    cpuPercent: ((atEnd.server - atStart.server) / seconds) * 100,
    workerCpuPercent: ((atEnd.workers - atStart.workers) / seconds) * 100,
    storesCpuPercent: ((atEnd.stores - atStart.stores) / seconds) * 100,
    machinePercent: ((atEnd.machine.busy - atStart.machine.busy) / (atEnd.machine.total - atStart.machine.total)) * 100,
  };
}

/** Held: p99 within the budget, nothing lost or refused, and (nearly) every send persisted. */
const holds = (f: Figures) => f.latency[2]! <= BUDGET_MS && f.loss === 0 && f.ackFailed === 0 && f.persistedPerSec >= 0.98 * f.rate;

/**
 * One target at each rate in turn. A sweep stops at the first rate that does not hold twice in a
 * row (one bad step on a shared machine is noise); `capacity` is the highest rate that held.
 */
async function measure(target: 'chat' | 'bare', users: BenchUser[], db: BenchDatabase | null): Promise<{ steps: Figures[]; capacity: Figures | null }> {
  const session = await connectTarget(target, users, db);
  const steps: Figures[] = [];
  let capacity: Figures | null = null;
  try {
    for (const rate of RATES) {
      let figures = await runAt(session, rate);
      steps.push(figures);
      if (flags.sweep) console.log(`${target} rate ${rate}/s: ${describe(figures)}`);
      if (!flags.sweep) break;
      if (!holds(figures)) {
        figures = await runAt(session, rate);
        steps.push(figures);
        console.log(`${target} rate ${rate}/s (again): ${describe(figures)}`);
        if (!holds(figures)) break;
      }
      capacity = figures;
    }
  } finally {
    await disconnectTarget(session);
  }
  return { steps, capacity };
}

async function deleteRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function describe(f: Figures): string {
  const [p50, p95, p99, max] = f.latency.map(ms);
  return [
    `connect ${f.connected}${f.connectFailed ? ` (+${f.connectFailed} failed)` : ''} in ${f.connectSeconds.toFixed(1)}s`,
    `persisted ${f.persistedPerSec.toFixed(0)}/s`,
    `deliveries ${f.deliveriesPerSec.toFixed(0)}/s`,
    `latency p50 ${p50} p95 ${p95} p99 ${p99} max ${max} ms`,
    `ack p99 ${ms(f.ackLatency[2]!)} ms`,
    `loss ${f.loss} (${(f.lossRatio * 100).toFixed(3)}%)${f.ackFailed ? ` ack-failed ${f.ackFailed}` : ''}${f.disconnects ? ` disconnects ${f.disconnects}` : ''}`,
    `rss ${mb(f.rssBase)}→${mb(f.rssConnected)} (${f.kbPerSocket.toFixed(1)} KB/socket) peak ${mb(f.rssPeak)}`,
    `cpu (100% = one core) server ${f.cpuPercent.toFixed(0)}% load ${f.workerCpuPercent.toFixed(0)}% pg+redis ${f.storesCpuPercent.toFixed(0)}% others ${Math.max(0, f.machinePercent * cpus().length - f.cpuPercent - f.workerCpuPercent - f.storesCpuPercent).toFixed(0)}%`,
  ].join(' | ');
}

async function main() {
  const started = Date.now();
  const loadBefore = loadavg()[0]!.toFixed(2);
  let db: BenchDatabase | null = null;
  let users: BenchUser[];
  const results: { target: 'chat' | 'bare'; steps: Figures[]; capacity: Figures | null }[] = [];
  try {
    if (!flags['bare-only']) {
      db = await createBenchDatabase(setup === 'pglite' ? 'pglite' : 'postgres');
      const handle = await db.open();
      users = await seedUsersAndRooms(handle, USERS, ROOM);
      if (flags['seed-sql']) await handle.db.$executeRawUnsafe(flags['seed-sql']);
      await handle.close();
      results.push({ target: 'chat', ...(await measure('chat', users, db)) });
    } else {
      users = Array.from({ length: USERS }, (_, i) => ({ id: `u${i}`, username: `u${i}`, name: `u${i}`, conversationId: `c${Math.floor(i / ROOM)}` }));
    }
    if (!flags['no-bare']) results.push({ target: 'bare', ...(await measure('bare', users, null)) });
  } finally {
    await db?.drop();
  }

  const rates = flags.sweep ? `sweep=${flags.sweep}/s budget=p99≤${BUDGET_MS}ms` : `rate=${RATE}/s`;
  const head = `load-before=${loadBefore} setup=${setup} nodes=${NODES} users=${USERS} room=${ROOM} ${rates} duration=${DURATION_MS / 1000}s workers=${WORKERS}`;
  const chat = results.find((r) => r.target === 'chat');
  const bare = results.find((r) => r.target === 'bare');
  const parts = [head];
  if (flags.sweep) {
    // Held at the ladder's top: the target may hold more, so its figure is a lower bound.
    const held = (r: typeof chat) =>
      r?.capacity
        ? `${r.capacity.rate === MAX_RATE ? 'at least ' : ''}${r.capacity.rate} msg/s, ${r.capacity.deliveriesPerSec.toFixed(0)} deliveries/s (p99 ${ms(r.capacity.latency[2]!)} ms)`
        : 'no rate held';
    if (chat) parts.push(`CHAT held ${held(chat)}`);
    if (bare) parts.push(`BARE held ${held(bare)}`);
    if (chat?.capacity && bare?.capacity) {
      const [chatTop, bareTop] = [chat.capacity.rate === MAX_RATE, bare.capacity.rate === MAX_RATE];
      const bound = chatTop && bareTop ? 'undecided, both held the top rate: ' : chatTop ? 'at least ' : bareTop ? 'at most ' : '';
      parts.push(`RATIO deliveries at p99 ≤ ${BUDGET_MS} ms ${bound}${(chat.capacity.deliveriesPerSec / bare.capacity.deliveriesPerSec).toFixed(2)}`);
    }
  } else {
    const [chatFigures, bareFigures] = [chat?.steps[0], bare?.steps[0]];
    if (chatFigures) parts.push(`CHAT ${describe(chatFigures)}`);
    if (bareFigures) parts.push(`BARE ${describe(bareFigures)}`);
    if (chatFigures && bareFigures) {
      parts.push(
        `RATIO deliveries ${(chatFigures.deliveriesPerSec / bareFigures.deliveriesPerSec).toFixed(2)} p99 ${(chatFigures.latency[2]! / bareFigures.latency[2]!).toFixed(1)}x`,
      );
    }
  }
  console.log(parts.join(' || '));
  if (flags.json) appendFileSync(flags.json, JSON.stringify({ at: new Date().toISOString(), flags, users: USERS, results, seconds: (Date.now() - started) / 1000 }) + '\n');
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
