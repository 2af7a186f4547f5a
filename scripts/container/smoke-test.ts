// The container deployment's smoke test, run against the reverse proxy's origin by
// scripts/container-test.sh: ready through the proxy, register two people, sign one in the
// browser's way (next-auth, session cookie) and the other the API's way (bearer token), pin their
// sockets to different app nodes, and exchange messages both ways. Exits non-zero on any failure.
//
//   npx tsx scripts/container/smoke-test.ts <origin> [metrics-token]
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import parsePrometheus from 'parse-prometheus-text-format';
import { CHAT_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '../../lib/protocol';

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const [originArg, metricsToken] = process.argv.slice(2);
if (!originArg) throw new Error('usage: smoke-test.ts <origin> [metrics-token]');
const origin: string = originArg;
const started = performance.now();
const NODE_COOKIE = 'parley_node';

function step(what: string): void {
  console.log(`  [smoke ${((performance.now() - started) / 1000).toFixed(1)}s] ${what}`);
}

function check(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`smoke test failed: ${what}`);
}

async function until<T>(what: string, timeoutMs: number, attempt: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`smoke test failed: ${what} within ${timeoutMs} ms${last ? ` (${String(last)})` : ''}`);
}

async function json(path: string, init: RequestInit = {}) {
  const response = await fetch(origin + path, init);
  const text = await response.text();
  return { response, body: (text ? JSON.parse(text) : null) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const cookiesOf = (response: Response) => response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);

async function register(label: string) {
  const username = `${label}_${randomUUID().slice(0, 8)}`;
  const password = `pw-${randomUUID()}`;
  const { response, body } = await json('/api/auth/register', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${username}@example.test`, username, password, name: label }),
  });
  check(response.status === 201, `register ${label}: ${response.status} ${JSON.stringify(body)}`);
  return { id: body.user.id as string, username, password };
}

/** next-auth's credentials flow, as the sign-in page does it: the session cookie. */
async function browserSignIn(identifier: string, password: string): Promise<string> {
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(csrf).join('; '), origin },
    body: new URLSearchParams({ csrfToken, identifier, password, json: 'true' }),
  });
  const session = cookiesOf(response).find((cookie) => cookie.startsWith('next-auth.session-token='));
  check(session, `browser sign-in answered ${response.status} without a session cookie`);
  const me = await json('/api/me', { headers: { cookie: session } });
  check(me.response.status === 200 && me.body.username === identifier, `the session cookie signs in (${me.response.status})`);
  return session;
}

/** A node cookie from the proxy; tries until it differs from `other` (a different node). */
async function nodeCookie(other?: string): Promise<string> {
  return until('the proxy assigned a second node', 30_000, async () => {
    const response = await fetch(`${origin}/socket.io/?EIO=4&transport=polling`);
    await response.text();
    const cookie = cookiesOf(response).find((c) => c.startsWith(`${NODE_COOKIE}=`));
    check(cookie, 'the proxy sets a node cookie');
    return cookie !== other ? cookie : undefined;
  });
}

function connect(headers: Record<string, string>, auth: Record<string, string>): Promise<ChatSocket> {
  // Long-polling first, then the upgrade to WebSocket, as browsers do: both must reach one node.
  const socket: ChatSocket = io(origin + CHAT_NAMESPACE, { extraHeaders: headers, auth, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => reject(new Error(`socket: ${error.message}`)));
  });
}

function upgraded(socket: ChatSocket): Promise<void> {
  const engine = socket.io.engine;
  if (engine.transport.name === 'websocket') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('smoke test failed: no WebSocket upgrade through the proxy')), 10_000);
    engine.once('upgrade', () => (clearTimeout(timer), resolve()));
  });
}

async function exchange(from: ChatSocket, to: ChatSocket, conversationId: string, content: string): Promise<number> {
  const sentAt = performance.now();
  const received = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`smoke test failed: "${content}" not delivered`)), 10_000);
    const listener = ({ message }: { message: { content: string } }) => {
      if (message.content !== content) return;
      clearTimeout(timer);
      to.off('newMessage', listener);
      resolve();
    };
    to.on('newMessage', listener);
  });
  const ack = await from.timeout(10_000).emitWithAck('sendMessage', { conversationId, content, clientId: randomUUID() });
  check(ack.ok, `send "${content}": ${JSON.stringify(ack)}`);
  await received;
  return performance.now() - sentAt;
}

async function main() {
  const ready = await until('GET /readyz through the proxy answered 200', 180_000, async () => {
    const { response, body } = await json('/readyz');
    return response.status === 200 ? body : undefined;
  });
  step(`ready through the proxy: ${JSON.stringify(ready.checks)}`);
  const health = await fetch(`${origin}/healthz`);
  check(health.headers.get('x-request-id'), 'responses carry X-Request-Id');

  const alice = await register('alice');
  const bob = await register('bob');
  step(`registered ${alice.username} and ${bob.username}`);
  const session = await browserSignIn(alice.username, alice.password);
  const token = await json('/api/auth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: bob.username, password: bob.password }),
  });
  check(token.response.status === 200 && typeof token.body.token === 'string', `bearer sign-in: ${token.response.status}`);
  step('signed in: alice with the session cookie, bob with a bearer token');

  const created = await json('/api/conversations', {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session, origin },
    body: JSON.stringify({ type: 'private', participantIds: [bob.id] }),
  });
  check(created.response.status === 201 || created.response.status === 200, `create conversation: ${created.response.status} ${JSON.stringify(created.body)}`);
  const conversationId = created.body.conversation.id as string;

  const aliceNode = await nodeCookie();
  const bobNode = await nodeCookie(aliceNode);
  const aliceSocket = await connect({ cookie: `${aliceNode}; ${session}`, origin }, {});
  const bobSocket = await connect({ cookie: bobNode }, { token: token.body.token as string });
  await Promise.all([upgraded(aliceSocket), upgraded(bobSocket)]);
  step(`sockets connected and upgraded to WebSocket on two nodes (${aliceNode} / ${bobNode})`);

  const there = await exchange(aliceSocket, bobSocket, conversationId, 'hello from node one');
  const back = await exchange(bobSocket, aliceSocket, conversationId, 'hello back from node two');
  step(`messages crossed nodes both ways (${there.toFixed(0)} ms, ${back.toFixed(0)} ms)`);
  aliceSocket.close();
  bobSocket.close();

  if (metricsToken) {
    // Each node's own counters, reached through the proxy with that node's cookie: each persisted
    // the one message sent on its socket and wrote both messages to its own socket.
    const metricsOf = async (node: string) => {
      const scraped = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${metricsToken}`, cookie: node } });
      check(scraped.status === 200, `/metrics with the token: ${scraped.status}`);
      const families = parsePrometheus(await scraped.text());
      const value = (name: string, labels: Record<string, string> = {}) =>
        Number(families.find((f) => f.name === name)?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? 0);
      return { families: families.length, persisted: value('parley_messages_persisted_total'), delivered: value('parley_socket_deliveries_total', { event: 'newMessage' }) };
    };
    const [one, two] = [await metricsOf(aliceNode), await metricsOf(bobNode)];
    check(one.persisted === 1 && two.persisted === 1, `each node persisted its socket's message (${one.persisted}, ${two.persisted})`);
    check(one.delivered === 2 && two.delivered === 2, `each node delivered both messages to its socket (${one.delivered}, ${two.delivered})`);
    const unauthorised = await fetch(`${origin}/metrics`);
    check(unauthorised.status === 401, `/metrics without the token: ${unauthorised.status}`);
    step(`/metrics per node through the proxy (${one.families} families): persisted 1 + 1, newMessage delivered 2 + 2`);
  }
  step('smoke test passed');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
