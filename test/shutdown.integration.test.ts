// A graceful stop: SIGTERM to a real server process while sends are in flight. Every send the
// database committed was acknowledged to its client, and the process exits 0 within the timeout.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { issueToken } from '@/lib/auth/tokens';
import { createConversation } from '@/lib/chat/conversations';
import { applyMigrations } from '@/lib/db/migrator';
import { openDatabase, type DatabaseHandle } from '@/lib/db/open';
import { connectClient, createUser, type ChatClient } from './helpers/factories';
import { createSharedDatabase, startNode, type NodeProcess } from './helpers/cluster';
import { sleep } from './helpers/chat';

const AUTH_SECRET = randomBytes(32).toString('hex');
const SHUTDOWN_TIMEOUT_MS = 8000;
const SENDERS = 5;
const SENDS_EACH = 20;

type Kind = 'pglite' | 'postgres';

/**
 * The node's database: on PGlite a data folder the node opens (the test opens it before the node
 * starts and after it exits); on PostgreSQL a fresh shared database.
 */
async function nodeDatabase(kind: Kind): Promise<{ env: Record<string, string>; open(): Promise<DatabaseHandle>; drop(): Promise<void> }> {
  if (kind === 'postgres') {
    const shared = await createSharedDatabase();
    return { env: { DATABASE_URL: shared.url }, open: async () => ({ ...shared, close: async () => {} }), drop: () => shared.close() };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'chat-shutdown-'));
  const open = async () => {
    const handle = await openDatabase({ kind: 'pglite', dir: path.join(dataDir, 'pglite') });
    await applyMigrations(handle.adapterFactory);
    return handle;
  };
  return { env: { DATA_DIR: dataDir }, open, drop: async () => {} };
}

let node: NodeProcess | undefined;
const sockets: ChatClient[] = [];
afterEach(async () => {
  while (sockets.length) sockets.pop()!.close();
  await node?.stop('SIGKILL');
});

type Outcome = { clientId: string; acked: boolean; ackedAt: number };

// PostgreSQL commits a batch in flight while the old shutdown had already closed the sockets;
// PGlite is the default. Both are checked whatever TEST_DATABASE_URL says.
describe.each<Kind>(['pglite', 'postgres'])('graceful shutdown on %s', (kind) => {
  it('acknowledges every send it committed, then exits 0 within the timeout', { timeout: 120_000 }, async () => {
    const database = await nodeDatabase(kind);
    const setup = await database.open();
    const senders = await Promise.all(Array.from({ length: SENDERS }, () => createUser(setup.db)));
    const reader = await createUser(setup.db);
    const { conversation } = await createConversation(setup.db, reader.id, { type: 'group', name: 'Shutdown', participantIds: senders.map((s) => s.id) });
    await setup.close();

    node = await startNode({
      ...database.env,
      AUTH_SECRET,
      LOG_LEVEL: 'warn',
      SERVE_WEB: 'false',
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    });
    for (const sender of senders) {
      const { token } = await issueToken({ sub: sender.id, username: sender.username, name: sender.name }, AUTH_SECRET, 3600);
      sockets.push(await connectClient(node.url, token));
    }
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => node!.child.once('exit', (code) => resolve({ code, at: Date.now() })));

    // Each sender streams its sends in bursts of five; SIGTERM lands once the first is answered.
    const outcomes: Promise<Outcome>[] = [];
    const streams = sockets.map(async (socket) => {
      for (let i = 0; i < SENDS_EACH; i += 1) {
        const clientId = randomUUID();
        outcomes.push(
          socket
            .timeout(SHUTDOWN_TIMEOUT_MS + 5000)
            .emitWithAck('sendMessage', { conversationId: conversation.id, content: `in flight ${i}`, clientId })
            .then(
              (ack) => ({ clientId, acked: ack.ok, ackedAt: Date.now() }),
              () => ({ clientId, acked: false, ackedAt: 0 }),
            ),
        );
        if (i % 5 === 4) await sleep(5);
      }
    });
    await Promise.race(outcomes);
    const killedAt = Date.now();
    node.child.kill('SIGTERM');
    await Promise.all(streams);
    const results = await Promise.all(outcomes);
    const { code, at } = await exited;

    const check = await database.open();
    try {
      const committed = await check.db.message.findMany({ where: { conversationId: conversation.id }, select: { clientId: true } });
      const acked = new Set(results.filter((r) => r.acked).map((r) => r.clientId));
      const unacknowledged = committed.filter((m) => !acked.has(m.clientId!));
      expect(unacknowledged, node.output()).toEqual([]);
      // Every acknowledged send is really stored.
      expect(committed).toHaveLength(acked.size);
      // Some sends were still in flight at SIGTERM, and were answered after it.
      expect(results.filter((r) => r.acked && r.ackedAt >= killedAt).length).toBeGreaterThan(0);
    } finally {
      await check.close();
      await database.drop();
    }
    expect(code, node.output()).toBe(0);
    expect(at - killedAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
  });
});
