// `npx tsx bench/flood.ts [flags]`: what one runaway user costs everyone else. One server process
// (the web app too, for the REST floods: it needs a `next build`), a group of users; victims send
// a message every 200 ms each and time the acknowledgement, first alone, then while one user
// floods from another process as fast as the issue's attack did: per second 300 markAsRead, 300
// joinConversation, 50 createConversation naming the victims, 30 REST sends and 4 searches.
// Prints the victims' send latency for both phases and what the flooder got through. Loopback
// only, bounded in time (two phases) and count (the flood's totals); it stops by itself.
//
//   --setup pglite|postgres   the server's database (default pglite, as the issue measured)
//   --phase 10                seconds of each phase (baseline, then flood)
//   --victims 4               users timing their sends (5 sends/s each, within their budget)
//   --no-web                  socket floods only (no build needed)
//   --renice=-10              run the server and both clients at this nice level (root only),
//                             so other work on a shared machine disturbs the figures less
//   --profile <dir>           write the server's CPU profile (.cpuprofile) there
//   --kinds a,b               only these floods (markAsRead, joinConversation, createConversation,
//                             restSend, search), to see what each costs
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { issueToken } from '@/lib/auth/tokens';
import { CHAT_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '@/lib/protocol';
import { createBenchDatabase, seedUsersAndRooms, type BenchUser } from './seed';
import { freePort, spawnTs, stopChild, waitForSocketIo, watchdog } from './proc';
import { ms, percentiles } from './stats';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
type Ack = { ok: boolean; error?: { code: string } };
type FloodKind = keyof typeof FLOOD_PER_SECOND;
type FloodPlan = { url: string; token: string; conversationId: string; victimIds: string[]; seconds: number; kinds: FloodKind[] };
type Tally = Record<string, { ok: number; refused: number; failed: number }>;

const VICTIM_INTERVAL_MS = 200;
/** Per second, for the length of the flood phase: the issue's totals over 10 s. */
const FLOOD_PER_SECOND = { markAsRead: 300, joinConversation: 300, createConversation: 50, restSend: 30, search: 4 };
const FLOOD_SOCKETS = 4;

function connect(url: string, token: string): Promise<Client> {
  const socket: Client = io(url + CHAT_NAMESPACE, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));

// ---- the flooder (a child process, so its own load never slows the victims' clock) ----

async function flood(plan: FloodPlan): Promise<Tally> {
  const tally: Tally = {};
  const count = (kind: string, outcome: 'ok' | 'refused' | 'failed') => {
    tally[kind] ??= { ok: 0, refused: 0, failed: 0 };
    tally[kind][outcome] += 1;
  };
  const byAck = (kind: string) => (ack: Ack) => count(kind, ack.ok ? 'ok' : ack.error?.code === 'rate_limited' ? 'refused' : 'failed');
  const byStatus = (kind: string) => (response: Response) => {
    void response.body?.cancel();
    count(kind, response.ok ? 'ok' : response.status === 429 ? 'refused' : 'failed');
  };
  const sockets = await Promise.all(Array.from({ length: FLOOD_SOCKETS }, () => connect(plan.url, plan.token)));
  const first = (await sockets[0]!.timeout(10_000).emitWithAck('sendMessage', { conversationId: plan.conversationId, content: 'flood marker' })) as Ack & {
    message?: { id: string };
  };
  const receipt = { conversationId: plan.conversationId, messageId: first.message?.id ?? '' };
  const headers = { authorization: `Bearer ${plan.token}`, 'content-type': 'application/json' };
  const api = `${plan.url}/api/conversations/${plan.conversationId}`;
  const pending: Promise<unknown>[] = [];
  const track = <T>(promise: Promise<T>) => pending.push(promise.catch(() => undefined));
  const TICKS = 10;
  for (let tick = 0; tick < plan.seconds * TICKS; tick += 1) {
    const started = Date.now();
    const share = (kind: FloodKind) => {
      if (!plan.kinds.includes(kind)) return 0;
      const perTick = FLOOD_PER_SECOND[kind] / TICKS;
      return Math.round(((tick % TICKS) + 1) * perTick) - Math.round((tick % TICKS) * perTick);
    };
    const socket = sockets[tick % sockets.length]!;
    for (let i = 0; i < share('markAsRead'); i += 1) socket.emit('markAsRead', receipt, byAck('markAsRead') as never);
    for (let i = 0; i < share('joinConversation'); i += 1) socket.emit('joinConversation', { conversationId: plan.conversationId }, byAck('joinConversation') as never);
    for (let i = 0; i < share('createConversation'); i += 1) {
      socket.emit('createConversation', { type: 'group', name: `flood ${tick}.${i}`, participantIds: plan.victimIds }, byAck('createConversation') as never);
    }
    for (let i = 0; i < share('restSend'); i += 1) {
      track(fetch(`${api}/messages`, { method: 'POST', headers, body: JSON.stringify({ content: `flood ${tick}.${i}` }) }).then(byStatus('restSend')));
    }
    for (let i = 0; i < share('search'); i += 1) track(fetch(`${api}/search?q=flood`, { headers }).then(byStatus('search')));
    await sleep(Math.max(0, 1000 / TICKS - (Date.now() - started)));
  }
  // Whatever is still unanswered gets a few seconds, then counts as lost.
  await Promise.race([Promise.all(pending), sleep(5000)]);
  await sleep(1000);
  for (const socket of sockets) socket.close();
  return tally;
}

if (process.env.FLOOD_PLAN) {
  const plan = JSON.parse(process.env.FLOOD_PLAN) as FloodPlan;
  void flood(plan).then(
    (tally) => process.send!(tally, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
} else {
  void main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

// ---- the run: server, victims, phases ----

async function victimPhase(victims: { socket: Client; conversationId: string }[], seconds: number): Promise<{ latencies: number[]; failed: number }> {
  const latencies: number[] = [];
  let failed = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    victims.map(async ({ socket, conversationId }, v) => {
      await sleep((VICTIM_INTERVAL_MS / victims.length) * v);
      const sends: Promise<void>[] = [];
      while (Date.now() < end) {
        const started = performance.now();
        sends.push(
          socket
            .timeout(30_000)
            .emitWithAck('sendMessage', { conversationId, content: 'victim' })
            .then(
              (ack) => void (ack.ok ? latencies.push(performance.now() - started) : (failed += 1)),
              () => void (failed += 1),
            ),
        );
        await sleep(VICTIM_INTERVAL_MS);
      }
      await Promise.all(sends);
    }),
  );
  return { latencies, failed };
}

function describeLatency(label: string, { latencies, failed }: { latencies: number[]; failed: number }): string {
  const [p50, p95, p99, max] = percentiles(latencies, [50, 95, 99, 100]);
  return `${label}: victims' send→ack p50 ${ms(p50!)} ms, p95 ${ms(p95!)} ms, p99 ${ms(p99!)} ms, max ${ms(max!)} ms (${latencies.length} sends, ${failed} failed)`;
}

async function main(): Promise<void> {
  const { values: flags } = parseArgs({
    options: {
      setup: { type: 'string', default: 'pglite' },
      phase: { type: 'string', default: '10' },
      victims: { type: 'string', default: '4' },
      'no-web': { type: 'boolean', default: false },
      kinds: { type: 'string' },
      renice: { type: 'string' },
      profile: { type: 'string' },
    },
  });
  const setup = flags.setup === 'postgres' ? 'postgres' : 'pglite';
  const seconds = Math.min(60, Math.max(1, Number(flags.phase)));
  const victimCount = Math.min(20, Math.max(1, Number(flags.victims)));
  const web = !flags['no-web'];
  const all = Object.keys(FLOOD_PER_SECOND) as FloodKind[];
  const socketKinds: FloodKind[] = ['markAsRead', 'joinConversation', 'createConversation'];
  const kinds = flags.kinds ? all.filter((kind) => flags.kinds!.split(',').includes(kind)) : web ? all : socketKinds;
  watchdog((seconds * 2 + 180) * 1000, 'bench/flood');
  const renice = (pid: number | undefined) => {
    if (flags.renice && pid) execFileSync('renice', ['-n', flags.renice, '-p', String(pid)], { stdio: 'ignore' });
  };
  renice(process.pid);

  const secret = randomBytes(32).toString('hex');
  const database = await createBenchDatabase(setup);
  const handle = await database.open();
  // One group: the flooder (its admin) and the victims.
  const [flooder, ...victimUsers] = (await seedUsersAndRooms(handle, victimCount + 1, victimCount + 1)) as [BenchUser, ...BenchUser[]];
  await handle.close();
  const tokenOf = async (user: BenchUser) => (await issueToken({ sub: user.id, username: user.username, name: user.name }, secret, 3600)).token;

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = spawnTs('server/index.ts', {
    nodeArgs: flags.profile ? ['--cpu-prof', `--cpu-prof-dir=${flags.profile}`] : [],
    env: { ...database.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), AUTH_SECRET: secret, LOG_LEVEL: 'warn', SERVE_WEB: String(web) },
  });
  renice(server.pid);
  try {
    await waitForSocketIo(url, server);
    const victims = await Promise.all(victimUsers.map(async (user) => ({ socket: await connect(url, await tokenOf(user)), conversationId: user.conversationId })));
    const announced = { count: 0 };
    for (const { socket } of victims) socket.on('newConversation', () => void (announced.count += 1));

    console.log(`setup ${setup}, ${victimCount} victims, ${seconds} s phases, floods: ${kinds.join(', ')}${flags.renice ? `, nice ${flags.renice}` : ''}`);
    await victimPhase(victims, 2); // warm-up, not measured
    console.log(describeLatency('baseline', await victimPhase(victims, seconds)));

    const plan: FloodPlan = { url, token: await tokenOf(flooder), conversationId: flooder.conversationId, victimIds: victimUsers.map((u) => u.id), seconds, kinds };
    const flooding = spawnTs('bench/flood.ts', { ipc: true, env: { FLOOD_PLAN: JSON.stringify(plan) } });
    renice(flooding.pid);
    const tally = new Promise<Tally>((resolve, reject) => {
      flooding.once('message', (message) => resolve(message as Tally));
      flooding.once('exit', (code) => reject(new Error(`the flooder exited with ${code}`)));
    });
    await sleep(500); // the flooder connects
    console.log(describeLatency('flood   ', await victimPhase(victims, seconds)));
    const flooded = await tally;
    const sent = Object.entries(flooded).map(([kind, t]) => `${kind} ${t.ok} ok / ${t.refused} refused / ${t.failed} failed`);
    console.log(`flooder: ${sent.join('; ')}`);
    console.log(`newConversation events at the victims: ${announced.count} (${(announced.count / victimCount).toFixed(0)} each)`);
    for (const { socket } of victims) socket.close();
  } finally {
    await stopChild(server);
    await database.drop();
  }
  process.exit(0);
}
