// Sign-in budgets and session revocation across two server processes sharing PostgreSQL and
// Redis: attempts on either node spend one budget, and ending a user's sessions (or an admin
// deactivating them) on one node disconnects their sockets on the other at once.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, createUser, postJson, TEST_PASSWORD } from './helpers/factories';
import { eventually } from './helpers/chat';
import { createSharedDatabase, startNode, type NodeProcess, type SharedDatabase } from './helpers/cluster';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from './helpers/redis';

const PER_ACCOUNT = 10;

let db: SharedDatabase;
let prefix: string;
let nodeA: NodeProcess;
let nodeB: NodeProcess;

beforeAll(async () => {
  db = await createSharedDatabase();
  prefix = uniquePrefix('auth');
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    AUTH_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT_PER_MINUTE: String(PER_ACCOUNT),
  };
  [nodeA, nodeB] = await Promise.all([startNode(env, 90_000), startNode(env, 90_000)]);
}, 120_000);

afterAll(async () => {
  await Promise.all([nodeA?.stop(), nodeB?.stop()]);
  await db?.close();
  if (prefix) await deletePrefix(prefix);
});

describe('two nodes on Redis', () => {
  it('spend one sign-in budget per account', async () => {
    const user = await createUser(db.db);
    const statuses: number[] = [];
    for (let i = 0; i < PER_ACCOUNT; i++) {
      const node = i % 2 ? nodeA : nodeB;
      statuses.push((await postJson(`${node.url}/api/auth/token`, { username: user.username, password: 'wrong password' })).status);
    }
    expect(statuses).toEqual(Array(PER_ACCOUNT).fill(401));
    for (const node of [nodeA, nodeB]) {
      const response = await fetch(`${node.url}/api/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user.username, password: TEST_PASSWORD }),
      });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  });

  it('end a user’s sessions on one node and disconnect their socket on the other at once', async () => {
    const user = await createUser(db.db);
    const { body } = await postJson(`${nodeA.url}/api/auth/token`, { username: user.username, password: TEST_PASSWORD });
    const token = (body as { token: string }).token;
    const socket = await connectClient(nodeB.url, token);
    let gone = false;
    socket.on('disconnect', () => (gone = true));

    const response = await fetch(`${nodeA.url}/api/me/sign-out-everywhere`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(204);
    await eventually(() => gone, 2000, 'the socket on the other node to be disconnected');
    await expect(connectClient(nodeB.url, token)).rejects.toThrow('unauthorized');
    expect((await fetch(`${nodeB.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('deactivated by an admin on one node, a user’s sockets on both nodes are disconnected at once', async () => {
    const admin = await createUser(db.db);
    await db.db.user.update({ where: { id: admin.id }, data: { isAdmin: true } });
    const user = await createUser(db.db);
    const signIn = async (name: string) =>
      ((await postJson(`${nodeB.url}/api/auth/token`, { username: name, password: TEST_PASSWORD })).body as { token: string }).token;
    const [adminToken, token] = [await signIn(admin.username), await signIn(user.username)];
    const sockets = [await connectClient(nodeA.url, token), await connectClient(nodeB.url, token)];
    const gone = [false, false];
    sockets.forEach((socket, i) => socket.on('disconnect', () => (gone[i] = true)));

    const response = await fetch(`${nodeA.url}/api/admin/users/${user.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ active: false }),
    });
    expect(response.status).toBe(200);
    await eventually(() => gone.every(Boolean), 2000, 'the sockets on both nodes to be disconnected');
    for (const node of [nodeA, nodeB]) {
      await expect(connectClient(node.url, token)).rejects.toThrow('unauthorized');
      expect((await postJson(`${node.url}/api/auth/token`, { username: user.username, password: TEST_PASSWORD })).status).toBe(401);
    }
  });
});
