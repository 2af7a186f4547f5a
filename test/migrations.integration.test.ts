import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, diffMigrationsToSchema, MIGRATIONS_DIR, readMigrationList } from '@/lib/db/migrator';
import type { DatabaseHandle } from '@/lib/db/open';
import { createTestDatabase, testDatabaseKind } from './helpers/database';

let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase(); // applies every migration from empty
});
afterAll(async () => {
  await handle?.close();
});

describe(`migrations on ${testDatabaseKind}`, () => {
  it('applied every migration from empty and recorded it as Prisma does', async () => {
    const { migrationDirectories } = await readMigrationList();
    const rows = await handle.db.$queryRaw<{ migration_name: string; finished: boolean }[]>`
      SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY migration_name`;
    expect(rows.map((r) => r.migration_name)).toEqual(migrationDirectories.map((d) => d.path));
    expect(rows.every((r) => r.finished)).toBe(true);
  });

  it('is idempotent: applying again does nothing', async () => {
    expect(await applyMigrations(handle.adapterFactory)).toEqual([]);
  });

  it('created every table of the schema', async () => {
    const tables = await handle.db.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`;
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(['Attachment', 'Conversation', 'Message', 'Participant', 'PushSubscription', 'User']),
    );
  });

  it('keeps the full-text search vector in step with content', async () => {
    const rows = await handle.db.$queryRaw<{ v: string }[]>`SELECT to_tsvector('simple', 'Hello wide World')::text AS v`;
    expect(rows[0]?.v).toContain("'hello'");
  });

  it('keeps a small pending list on the search index: cheap inserts, small merges', async () => {
    const rows = await handle.db.$queryRaw<{ options: string[] | null }[]>`
      SELECT c.reloptions AS options FROM pg_class c WHERE c.relname = 'Message_searchVector_idx'`;
    expect(rows[0]?.options).toEqual(expect.arrayContaining(['fastupdate=on', 'gin_pending_list_limit=64']));
  });

  it('matches the schema: the migrations build exactly what prisma/schema.prisma says', { timeout: 120_000 }, async () => {
    const diff = await diffMigrationsToSchema(new PrismaPGlite(new PGlite()));
    expect(diff.replace(/^-- This is an empty migration\.?\s*$/, '').trim()).toBe('');
  });
});

describe(`the message_seq migration on ${testDatabaseKind}, over a database with messages`, () => {
  const SEQ_MIGRATION = '20261129120000_message_seq';
  let before: DatabaseHandle;
  let folder: string;

  beforeAll(async () => {
    // The migration history up to the one before.
    folder = await mkdtemp(path.join(tmpdir(), 'migrations-'));
    for (const entry of await readdir(MIGRATIONS_DIR)) {
      if (entry.endsWith('.toml') || entry < SEQ_MIGRATION) await cp(path.join(MIGRATIONS_DIR, entry), path.join(folder, entry), { recursive: true });
    }
    before = await createTestDatabase({ migrations: folder });
  });
  afterAll(async () => {
    await before?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('numbers existing messages in (createdAt, id) order per conversation, sets the counters and the receipt cursors', async () => {
    const db = before.db;
    const [alice, bob] = [randomUUID(), randomUUID()];
    for (const id of [alice, bob]) {
      await db.$executeRaw`INSERT INTO "User" (id, email, username, name, "passwordHash", "updatedAt")
        VALUES (${id}::uuid, ${`${id}@example.test`}, ${`m${id.slice(0, 8)}`}, 'Someone', 'x', now())`;
    }
    const [busy, quiet, empty] = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of [busy, quiet, empty]) {
      await db.$executeRaw`INSERT INTO "Conversation" (id, type, "createdById", "updatedAt") VALUES (${id}::uuid, 'group', ${alice}::uuid, now())`;
    }
    // Messages of one conversation inserted out of order, three of them sharing one creation
    // time (a batch), so the (createdAt, id) order is the one to keep.
    const t = (s: number) => new Date(Date.UTC(2026, 10, 1, 12, 0, s));
    const ids = ['01900000-0000-7000-8000-00000000000c', '01900000-0000-7000-8000-00000000000a', '01900000-0000-7000-8000-00000000000b'];
    const rows: [string, string, Date][] = [
      [randomUUID(), busy, t(5)],
      [ids[0]!, busy, t(3)],
      [randomUUID(), busy, t(1)],
      [ids[1]!, busy, t(3)],
      [randomUUID(), quiet, t(2)],
      [ids[2]!, busy, t(3)],
    ];
    for (const [id, conversationId, createdAt] of rows) {
      await db.$executeRaw`INSERT INTO "Message" (id, "conversationId", "senderId", content, "createdAt")
        VALUES (${id}::uuid, ${conversationId}::uuid, ${alice}::uuid, ${`at ${createdAt.toISOString()}`}, ${createdAt})`;
    }
    const busyOrder = [rows[2]![0], ids[1]!, ids[2]!, ids[0]!, rows[0]![0]];
    // Bob read up to the third of the busy conversation and received the fourth; nothing in the quiet one.
    await db.$executeRaw`INSERT INTO "Participant" ("conversationId", "userId", "lastReadMessageId", "lastReadMessageAt", "readAt",
        "lastDeliveredMessageId", "lastDeliveredMessageAt", "deliveredAt")
      VALUES (${busy}::uuid, ${bob}::uuid, ${busyOrder[2]}::uuid, ${t(3)}, now(), ${busyOrder[3]}::uuid, ${t(3)}, now()),
             (${quiet}::uuid, ${bob}::uuid, NULL, NULL, NULL, NULL, NULL, NULL)`;

    expect(await applyMigrations(before.adapterFactory)).toContain(SEQ_MIGRATION);

    const messages = await db.message.findMany({ where: { conversationId: { in: [busy, quiet] } }, orderBy: [{ conversationId: 'asc' }, { seq: 'asc' }] });
    const busyRows = messages.filter((m) => m.conversationId === busy);
    expect(busyRows.map((m) => m.id)).toEqual(busyOrder);
    expect(busyRows.map((m) => m.seq)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(messages.filter((m) => m.conversationId === quiet).map((m) => m.seq)).toEqual([1n]);
    const counters = await db.conversation.findMany({ where: { id: { in: [busy, quiet, empty] } }, select: { id: true, lastSeq: true } });
    expect(Object.fromEntries(counters.map((c) => [c.id, c.lastSeq]))).toEqual({ [busy]: 5n, [quiet]: 1n, [empty]: 0n });
    const cursors = await db.participant.findMany({ where: { userId: bob }, select: { conversationId: true, lastReadSeq: true, lastDeliveredSeq: true } });
    expect(Object.fromEntries(cursors.map((c) => [c.conversationId, [c.lastReadSeq, c.lastDeliveredSeq]]))).toEqual({
      [busy]: [3n, 4n],
      [quiet]: [null, null],
    });

    // And the next message takes the next seq.
    const { sendMessage } = await import('@/lib/chat/messages');
    await db.$executeRaw`INSERT INTO "Participant" ("conversationId", "userId") VALUES (${busy}::uuid, ${alice}::uuid)`;
    const sent = await sendMessage(db, alice, { conversationId: busy, content: 'after the migration', messageType: 'text' });
    expect(sent.message.seq).toBe(6);
  });
});
