// The operator's endpoints: /healthz, /readyz naming the dependency that is down (database,
// migrations, Redis), /metrics in Prometheus text format (parsed by a real parser) with its
// counters moving under load and its protection (bearer token or a port of its own), and the
// request id carried by every log line of a request or socket event.
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import parsePrometheus, { type MetricFamily } from 'parse-prometheus-text-format';
import { loadConfig } from '@/lib/config';
import { createLogger } from '@/lib/logger';
import { openDatabase } from '@/lib/db/open';
import { createServer } from '@/server/app';
import { createTestDatabase } from './helpers/database';
import { createSharedDatabase, TEST_POSTGRES_URL, type SharedDatabase } from './helpers/cluster';
import { RedisProxy, TEST_REDIS_URL, deletePrefix, uniquePrefix } from './helpers/redis';
import { api, connect, eventually, makeMembers, privateChat } from './helpers/chat';
import { startTestServer, type TestServer } from './helpers/server';
import type { ChatClient } from './helpers/factories';

// Most tests start a server or two on a fresh database: slow on a loaded machine.
vi.setConfig({ testTimeout: 90_000 });

const running: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.close();
});

/** A server (socket namespace and operator endpoints, no web app) on a database the test chose. */
async function startServer(options: { env?: Record<string, string>; database?: Awaited<ReturnType<typeof openDatabase>>; logLines?: Record<string, unknown>[] } = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ops-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    AUTH_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'info',
    PRESENCE_GRACE_MS: '300',
    ...options.env,
  });
  const lines = options.logLines;
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines?.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  const database = options.database ?? (await createTestDatabase());
  const server = await createServer({ config, database, logger, web: false });
  const url = await server.listen(0, '127.0.0.1');
  const handle = { ...server, url, config };
  running.push(handle);
  return handle;
}

async function getJson(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

async function scrape(url: string, token?: string): Promise<MetricFamily[]> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await response.text());
}

/** A sample's value (counters and gauges: value; histograms: count or sum), 0 when absent. */
function sample(families: MetricFamily[], name: string, labels: Record<string, string> = {}, field: 'value' | 'count' | 'sum' = 'value'): number {
  const family = families.find((f) => f.name === name);
  const metric = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return metric ? Number(metric[field]) : 0;
}

describe('/healthz and /readyz', () => {
  it('answers alive and ready on a migrated database without Redis', async () => {
    const server = await startServer();
    const health = await getJson(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    expect(health.headers.get('cache-control')).toBe('no-store');
    const ready = await getJson(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', redis: 'not_configured' } });
  });

  it('keeps an idle keep-alive connection open past Node\'s 5 s, so a proxy reusing it is not reset', async () => {
    const server = await startServer();
    const { hostname: host, port } = new URL(server.url);
    const socket = connectTcp({ host, port: Number(port) });
    await once(socket, 'connect');
    const ask = async () => {
      socket.write(`GET /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`);
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      return chunk.toString('latin1').split('\r\n')[0];
    };
    try {
      expect(await ask()).toBe('HTTP/1.1 200 OK');
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      // Still open: the same connection answers again.
      expect(socket.destroyed).toBe(false);
      expect(await ask()).toBe('HTTP/1.1 200 OK');
    } finally {
      socket.destroy();
    }
  }, 20_000);

  it('stops at once when a connection is still open after the answers went out (it is closed, not waited for)', async () => {
    const server = await startServer();
    const { hostname: host, port } = new URL(server.url);
    const socket = connectTcp({ host, port: Number(port) });
    await once(socket, 'connect');
    // A request whose body is still coming when the shutdown starts: the connection is not idle
    // then, so the shutdown's first step leaves it open, and the 65 s keep-alive would hold the
    // port's close. (/healthz answers without reading the body; a connection closed with unread
    // input ends in a reset, so what reaches the client is not asserted here.)
    socket.write(`POST /healthz HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{`);
    socket.resume();
    socket.on('error', () => {});
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const started = Date.now();
    const stopping = server.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.write('}');
    await stopping;
    await closed;
    // The keep-alive lasts 65 s; the shutdown's own steps take well under a few seconds.
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 20_000);

  it('is 503 naming the migrations while one in the image is not applied', async () => {
    const database = await createTestDatabase();
    const server = await startServer({ database });
    const [last] = await database.db.$queryRawUnsafe<{ migration_name: string }[]>(
      'DELETE FROM "_prisma_migrations" WHERE migration_name = (SELECT max(migration_name) FROM "_prisma_migrations") RETURNING migration_name',
    );
    expect(last?.migration_name).toBeTruthy();
    const ready = await getJson(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable', failed: ['migrations'], checks: { database: 'ok', migrations: 'pending', redis: 'not_configured' } });
  });

  describe('on PostgreSQL', () => {
    let shared: SharedDatabase;
    beforeAll(async () => {
      shared = await createSharedDatabase();
    });
    afterAll(async () => {
      await shared?.close();
    });

    it('is 503 naming the database while it is unreachable, ready again once it is back; log lines carry the request id', async () => {
      // The server reaches PostgreSQL through a proxy the test can cut.
      const proxy = new RedisProxy(new URL(TEST_POSTGRES_URL));
      await proxy.start();
      running.push({ close: () => proxy.cut() });
      const url = new URL(shared.url);
      url.host = `127.0.0.1:${proxy.port}`;
      const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 2 });
      const logLines: Record<string, unknown>[] = [];
      const server = await startServer({ database, logLines });
      expect((await getJson(`${server.url}/readyz`)).status).toBe(200);
      await proxy.cut();
      const down = await getJson(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: 'unavailable', failed: ['database'], checks: { database: 'failed', migrations: 'unknown', redis: 'not_configured' } });
      const reqId = down.headers.get('x-request-id');
      expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
      const logged = logLines.find((line) => line.msg === 'readiness check failed');
      expect(logged).toMatchObject({ reqId, check: 'database' });

      await proxy.restore();
      await eventually(async () => (await getJson(`${server.url}/readyz`)).status === 200, 10_000, 'ready again');
    });
  });

  it('is 503 naming Redis while it is unreachable, ready again once it is back', async () => {
    const proxy = new RedisProxy(new URL(TEST_REDIS_URL));
    await proxy.start();
    const prefix = uniquePrefix('ops');
    running.push({ close: async () => (await proxy.cut(), await deletePrefix(prefix)) });
    const server = await startServer({ env: { REDIS_URL: proxy.url, REDIS_KEY_PREFIX: prefix } });
    expect((await getJson(`${server.url}/readyz`)).body).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', redis: 'ok' } });

    await proxy.cut();
    const down = await getJson(`${server.url}/readyz`);
    expect(down.status).toBe(503);
    expect(down.body).toEqual({ status: 'unavailable', failed: ['redis'], checks: { database: 'ok', migrations: 'ok', redis: 'failed' } });
    // Alive all the same: a restart would not bring Redis back.
    expect((await getJson(`${server.url}/healthz`)).status).toBe(200);

    await proxy.restore();
    await eventually(async () => (await getJson(`${server.url}/readyz`)).status === 200, 10_000, 'ready again');
  });

  it('gives each socket event its own request id, on every line it logs with the socket and the user', async () => {
    const database = await createTestDatabase();
    const logLines: Record<string, unknown>[] = [];
    const server = await startServer({ database, logLines });
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const socket = await connect(server, alice!);
    running.push({ close: async () => socket.close() });
    // The database goes away under the socket: the send fails inside, and is logged.
    await database.close();
    const send = () => socket.timeout(10_000).emitWithAck('sendMessage', { conversationId: conversation.id, content: 'lost', clientId: randomUUID() });
    expect(await send()).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await send()).toMatchObject({ ok: false, error: { code: 'internal' } });
    const lines = logLines.filter((line) => line.msg === 'socket event failed');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toMatchObject({ event: 'sendMessage', socketId: socket.id, userId: alice!.user.id });
      expect(line.reqId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(lines[0]!.reqId).not.toBe(lines[1]!.reqId);
  });

  it('keeps a request id a trusted proxy sent, and makes its own otherwise', async () => {
    const trusting = await startServer({ env: { TRUST_PROXY: 'true' } });
    const sent = `edge-${randomUUID()}`;
    expect((await getJson(`${trusting.url}/healthz`, { 'x-request-id': sent })).headers.get('x-request-id')).toBe(sent);
    // Not a plausible id: replaced.
    expect((await getJson(`${trusting.url}/healthz`, { 'x-request-id': 'a b' })).headers.get('x-request-id')).not.toBe('a b');
    const direct = await startServer();
    expect((await getJson(`${direct.url}/healthz`, { 'x-request-id': sent })).headers.get('x-request-id')).not.toBe(sent);
  });
});

describe('/metrics', () => {
  const token = randomBytes(24).toString('hex');

  it('on the app port answers only the bearer token; without METRICS_TOKEN it is not there', async () => {
    const server = await startServer({ env: { METRICS_TOKEN: token } });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token.slice(1)}x` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await scrape(`${server.url}/metrics`, token)).length).toBeGreaterThan(10);

    const closed = await startServer();
    expect((await fetch(`${closed.url}/metrics`)).status).toBe(404);
  });

  it('on METRICS_PORT answers without a token, and the app port does not serve it', async () => {
    const server = await startServer({ env: { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' } });
    const origin = server.metricsOrigin();
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(origin).not.toBe(server.url);
    const families = await scrape(`${origin}/metrics`);
    expect(families.map((f) => f.name)).toEqual(expect.arrayContaining(['parley_connected_sockets', 'process_resident_memory_bytes']));
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${origin}/readyz`)).status).toBe(404);
  });

  it('counts sockets, events, messages persisted, write batches, deliveries and errors by code under load', async () => {
    const server = await startServer({ env: { METRICS_TOKEN: token } });
    const [alice, bob] = await makeMembers(server, 2);
    const conversation = await privateChat(server, alice!, bob!);
    const before = await scrape(`${server.url}/metrics`, token);

    const sockets: ChatClient[] = [await connect(server, alice!), await connect(server, bob!)];
    running.push({ close: async () => sockets.forEach((s) => s.close()) });
    const during = await scrape(`${server.url}/metrics`, token);
    expect(sample(during, 'parley_connected_sockets') - sample(before, 'parley_connected_sockets')).toBe(2);

    const SENDS = 60;
    let received = 0;
    sockets[1]!.on('newMessage', () => (received += 1));
    const acks = await Promise.all(
      Array.from({ length: SENDS }, (_, i) =>
        sockets[i % 2]!.timeout(10_000).emitWithAck('sendMessage', { conversationId: conversation.id, content: `load ${i}`, clientId: randomUUID() }),
      ),
    );
    expect(acks.every((ack) => ack.ok)).toBe(true);
    // A payload the schema refuses, and a conversation the sender is not in: two error codes.
    const bad = await sockets[0]!.timeout(5_000).emitWithAck('sendMessage', { conversationId: 'not-an-id', content: 'x' } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const stranger = await sockets[0]!.timeout(5_000).emitWithAck('sendMessage', { conversationId: randomUUID(), content: 'x' });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await eventually(() => received === SENDS, 10_000, 'every message delivered to bob');

    const after = await scrape(`${server.url}/metrics`, token);
    const delta = (name: string, labels: Record<string, string> = {}, field: 'value' | 'count' | 'sum' = 'value') =>
      sample(after, name, labels, field) - sample(before, name, labels, field);
    expect(delta('parley_messages_persisted_total')).toBe(SENDS);
    expect(delta('parley_socket_events_total', { event: 'sendMessage', outcome: 'ok' })).toBe(SENDS);
    expect(delta('parley_socket_events_total', { event: 'sendMessage', outcome: 'bad_request' })).toBe(1);
    expect(delta('parley_errors_total', { code: 'bad_request', source: 'socket' })).toBe(1);
    expect(delta('parley_errors_total', { code: 'not_found', source: 'socket' })).toBe(1);
    // Every send was in one batch or another: the batch sizes add up to the sends written.
    const batches = delta('parley_message_write_batch_size', {}, 'count');
    expect(batches).toBeGreaterThanOrEqual(1);
    expect(batches).toBeLessThanOrEqual(SENDS + 1);
    expect(delta('parley_message_write_batch_size', {}, 'sum')).toBe(SENDS + 1);
    expect(delta('parley_message_write_batch_duration_seconds', {}, 'count')).toBe(batches);
    expect(delta('parley_message_write_batch_duration_seconds', {}, 'sum')).toBeGreaterThan(0);
    // Both members' sockets are in the conversation's room: each message went out twice.
    expect(delta('parley_socket_deliveries_total', { event: 'newMessage' })).toBe(2 * SENDS);
    // Process metrics from prom-client's default set.
    const names = after.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining(['nodejs_eventloop_lag_seconds', 'nodejs_gc_duration_seconds', 'process_resident_memory_bytes', 'nodejs_heap_size_used_bytes']));

    sockets.forEach((s) => s.close());
    await eventually(async () => sample(await scrape(`${server.url}/metrics`, token), 'parley_connected_sockets') === sample(before, 'parley_connected_sockets'), 5_000, 'sockets uncounted');
  });
});

describe('/metrics through the production build (the route handlers are a separate bundle)', () => {
  let web: TestServer;
  const token = randomBytes(24).toString('hex');
  beforeAll(async () => {
    web = await startTestServer({ env: { METRICS_TOKEN: token } });
  });
  afterAll(async () => {
    await web?.close();
  });

  it('counts REST sends and REST errors by code in the same registry as the sockets', async () => {
    const [alice, bob] = await makeMembers(web, 2);
    const conversation = await privateChat(web, alice!, bob!);
    const before = await scrape(`${web.url}/metrics`, token);
    for (let i = 0; i < 3; i += 1) {
      const sent = await api(web, alice!.token, 'POST', `/api/conversations/${conversation.id}/messages`, { content: `rest ${i}`, clientId: randomUUID() });
      expect(sent.status).toBe(201);
    }
    expect((await api(web, undefined, 'GET', '/api/conversations')).status).toBe(401);
    const after = await scrape(`${web.url}/metrics`, token);
    expect(sample(after, 'parley_messages_persisted_total') - sample(before, 'parley_messages_persisted_total')).toBe(3);
    expect(sample(after, 'parley_errors_total', { code: 'unauthorized', source: 'http' }) - sample(before, 'parley_errors_total', { code: 'unauthorized', source: 'http' })).toBe(1);
  });
});
