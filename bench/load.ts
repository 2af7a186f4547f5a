// A load-generator worker (a child of bench/run.ts, driven over IPC): connects its share of the
// users over websocket, sends messages at its share of the rate, and times every `newMessage`
// from the moment it was sent (the send time travels in the content; all processes read the same
// monotonic clock).
import { io, type Socket } from 'socket.io-client';
import { issueToken } from '@/lib/auth/tokens';

export type LoadUser = { id: string; username: string; name: string; conversationId: string };

export type WorkerCommand =
  | { type: 'connect'; mode: 'chat' | 'bare'; urls: string[]; users: LoadUser[]; secret: string; concurrency: number }
  | { type: 'run'; startAt: number; warmupMs: number; durationMs: number; rate: number; contentSize: number; drainMs: number }
  | { type: 'close' };

export type ConnectReport = { type: 'connected'; connected: number; failed: number; firstError: string | null; ms: number };
export type RunReport = {
  type: 'result';
  /** Sends attempted within the measured window. */
  sent: number;
  acked: number;
  ackFailed: number;
  /** Deliveries of messages sent within the window. */
  received: number;
  latencies: Float64Array;
  ackLatencies: Float64Array;
  disconnects: number;
};

const now = () => Number(process.hrtime.bigint()) / 1e6;
const FILLER = 'The quick brown fox jumps over the lazy dog while the team ships another release on time. ';

let clients: { socket: Socket; user: LoadUser }[] = [];
let disconnects = 0;

function send(message: WorkerCommand | ConnectReport | RunReport | { type: 'closed' }): void {
  process.send!(message);
}

function connectOne(url: string, auth: Record<string, string>): Promise<Socket> {
  const socket = io(`${url}/chat`, { auth, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 60_000 });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

async function connectAll(command: Extract<WorkerCommand, { type: 'connect' }>): Promise<ConnectReport> {
  const users = command.users;
  const auths = await Promise.all(
    users.map(async (user): Promise<Record<string, string>> =>
      command.mode === 'bare'
        ? { userId: user.id, username: user.username, conversationId: user.conversationId }
        : { token: (await issueToken({ sub: user.id, username: user.username, name: user.name }, command.secret, 3600)).token },
    ),
  );
  const started = now();
  let failed = 0;
  let firstError: string | null = null;
  const connected: ({ socket: Socket; user: LoadUser } | undefined)[] = new Array(users.length);
  let next = 0;
  // `concurrency` handshakes in flight at a time.
  await Promise.all(
    Array.from({ length: Math.min(command.concurrency, users.length) }, async () => {
      while (next < users.length) {
        const i = next++;
        try {
          const socket = await connectOne(command.urls[i % command.urls.length]!, auths[i]!);
          socket.on('disconnect', () => (disconnects += 1));
          connected[i] = { socket, user: users[i]! };
        } catch (error) {
          failed += 1;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  clients = connected.filter((client) => client !== undefined);
  return { type: 'connected', connected: clients.length, failed, firstError, ms: now() - started };
}

async function run(command: Extract<WorkerCommand, { type: 'run' }>): Promise<RunReport> {
  const windowStart = command.startAt + command.warmupMs;
  const windowEnd = windowStart + command.durationMs;
  const latencies: number[] = [];
  const ackLatencies: number[] = [];
  let sent = 0;
  let acked = 0;
  let ackFailed = 0;
  let lastDelivery = now();

  for (const { socket } of clients) {
    socket.on('newMessage', (payload: { message: { content: string } }) => {
      const at = now();
      lastDelivery = at;
      const content = payload.message.content;
      const sentAt = Number(content.slice(0, content.indexOf('|')));
      if (sentAt >= windowStart && sentAt < windowEnd) latencies.push(at - sentAt);
    });
  }

  const padding = FILLER.repeat(Math.ceil(command.contentSize / FILLER.length));
  const tag = Math.random().toString(36).slice(2, 8);
  let issued = 0;
  let cursor = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const at = now();
      if (at >= windowEnd) {
        clearInterval(timer);
        resolve();
        return;
      }
      if (at < command.startAt) return;
      // As many sends as the rate asks for by now (catching up if a tick came late).
      const due = Math.floor(((at - command.startAt) * command.rate) / 1000);
      while (issued < due) {
        issued += 1;
        const { socket, user } = clients[cursor++ % clients.length]!;
        const sentAt = now();
        const content = `${sentAt.toFixed(3)}|${padding}`.slice(0, Math.max(command.contentSize, 24));
        const inWindow = sentAt >= windowStart && sentAt < windowEnd;
        if (inWindow) sent += 1;
        socket
          .timeout(30_000)
          .emit('sendMessage', { conversationId: user.conversationId, content, clientId: `${tag}-${issued}` }, (error: unknown, response: { ok: boolean } | undefined) => {
            if (!inWindow) return;
            if (error || !response?.ok) ackFailed += 1;
            else {
              acked += 1;
              ackLatencies.push(now() - sentAt);
            }
          });
      }
    };
    const timer = setInterval(tick, 2);
  });

  // Drain: wait until deliveries stop (or the limit), so late ones count rather than look lost.
  const drainUntil = now() + command.drainMs;
  while (now() < drainUntil && now() - lastDelivery < 1500) await new Promise((resolve) => setTimeout(resolve, 100));
  for (const { socket } of clients) socket.off('newMessage');
  return {
    type: 'result',
    sent,
    acked,
    ackFailed,
    received: latencies.length,
    latencies: Float64Array.from(latencies),
    ackLatencies: Float64Array.from(ackLatencies),
    disconnects,
  };
}

process.on('message', (command: WorkerCommand) => {
  void (async () => {
    if (command.type === 'connect') send(await connectAll(command));
    else if (command.type === 'run') send(await run(command));
    else {
      for (const { socket } of clients) socket.close();
      send({ type: 'closed' });
      process.exit(0);
    }
  })();
});
// Orphaned (the bench died): go too.
process.on('disconnect', () => process.exit(0));
