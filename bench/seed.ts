// Benchmark data, written straight into the database with SQL (not through the API): a fresh
// database (a new one on the PostgreSQL server, or a PGlite directory), users with a shared
// password hash, group conversations of a given size, and long histories via generate_series.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '@/lib/db/open';
import { applyMigrations } from '@/lib/db/migrator';
import { hashPassword } from '@/lib/auth/password';

export const BENCH_POSTGRES_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
export const BENCH_PASSWORD = 'bench-password';

export type BenchDatabase = {
  kind: 'pglite' | 'postgres';
  /** Server environment that points at this database. */
  env: Record<string, string>;
  /** Opens it from this process (PGlite: only while no server has it open). */
  open(): Promise<DatabaseHandle>;
  /** Deletes it. */
  drop(): Promise<void>;
};

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BENCH_POSTGRES_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A new, migrated database. */
export async function createBenchDatabase(kind: 'pglite' | 'postgres', poolSize = 20): Promise<BenchDatabase> {
  if (kind === 'pglite') {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-bench-'));
    const dir = path.join(dataDir, 'pglite');
    const db: BenchDatabase = {
      kind,
      env: { DATA_DIR: dataDir },
      open: () => openDatabase({ kind: 'pglite', dir }),
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
    const handle = await db.open();
    await applyMigrations(handle.adapterFactory);
    await handle.close();
    return db;
  }
  const name = `bench_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(BENCH_POSTGRES_URL);
  url.pathname = `/${name}`;
  const db: BenchDatabase = {
    kind,
    env: { DATABASE_URL: url.toString() },
    open: () => openDatabase({ kind: 'postgres', url: url.toString(), poolSize }),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
  const handle = await db.open();
  await applyMigrations(handle.adapterFactory);
  await handle.close();
  return db;
}

export type BenchUser = { id: string; username: string; name: string; conversationId: string };

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

async function insertChunked(handle: DatabaseHandle, head: string, rows: string[], chunk = 1000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await handle.db.$executeRawUnsafe(`${head} VALUES ${rows.slice(i, i + chunk).join(',')}`);
  }
}

/** `count` users in group conversations of `roomSize` (the first member is the admin). */
export async function seedUsersAndRooms(handle: DatabaseHandle, count: number, roomSize: number): Promise<BenchUser[]> {
  const tag = randomBytes(3).toString('hex');
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const users: BenchUser[] = [];
  const conversations: { id: string; admin: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    if (i % roomSize === 0) conversations.push({ id: randomUUID(), admin: '' });
    const conversation = conversations.at(-1)!;
    const user = { id: randomUUID(), username: `b${tag}_${i}`, name: `Bench ${i}`, conversationId: conversation.id };
    if (!conversation.admin) conversation.admin = user.id;
    users.push(user);
  }
  await insertChunked(
    handle,
    'INSERT INTO "User" (id, email, username, name, "passwordHash", "updatedAt")',
    users.map((u) => `(${quote(u.id)}, ${quote(`${u.username}@bench.test`)}, ${quote(u.username)}, ${quote(u.name)}, ${quote(passwordHash)}, now())`),
  );
  await insertChunked(
    handle,
    'INSERT INTO "Conversation" (id, type, name, "createdById", "updatedAt")',
    conversations.map((c, i) => `(${quote(c.id)}, 'group', ${quote(`Bench room ${i}`)}, ${quote(c.admin)}, now())`),
  );
  const admins = new Set(conversations.map((c) => c.admin));
  await insertChunked(
    handle,
    'INSERT INTO "Participant" ("conversationId", "userId", role)',
    users.map((u) => `(${quote(u.conversationId)}, ${quote(u.id)}, ${admins.has(u.id) ? "'admin'" : "'member'"})`),
  );
  return users;
}

export const HISTORY_WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima', 'mike', 'november', 'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango', 'uniform', 'victor', 'whiskey', 'xray', 'yankee', 'zulu'];

/**
 * `count` messages in one conversation between two members, one second apart, ending now.
 * Each has two words of the list (1 in 26 and 1 in 676 messages share a word or a pair) and an
 * md5 token unique to it. The search trigger fills the search vector as for any insert.
 */
export async function seedHistory(handle: DatabaseHandle, conversationId: string, senderIds: [string, string], count: number, batch = 100_000): Promise<void> {
  const words = `ARRAY[${HISTORY_WORDS.map(quote).join(',')}]`;
  // Numbered after what the conversation holds, oldest first, as the writer would have.
  const [{ lastSeq }] = await handle.db.$queryRawUnsafe<[{ lastSeq: bigint }]>(`SELECT "lastSeq" FROM "Conversation" WHERE id = ${quote(conversationId)}::uuid`);
  for (let start = 1; start <= count; start += batch) {
    const end = Math.min(count, start + batch - 1);
    await handle.db.$executeRawUnsafe(`
      INSERT INTO "Message" (id, seq, "conversationId", "senderId", content, "createdAt")
      SELECT gen_random_uuid(), ${lastSeq} + i, ${quote(conversationId)}::uuid,
             CASE WHEN i % 2 = 0 THEN ${quote(senderIds[0])}::uuid ELSE ${quote(senderIds[1])}::uuid END,
             'message ' || i || ' ' || (${words})[1 + i % 26] || ' ' || (${words})[1 + (i / 26) % 26] || ' ' || md5(i::text),
             now() - (${count} - i) * interval '1 second'
      FROM generate_series(${start}, ${end}) AS i`);
  }
  await handle.db.$executeRawUnsafe(`UPDATE "Conversation" SET "lastSeq" = ${lastSeq} + ${count} WHERE id = ${quote(conversationId)}::uuid`);
  // As autovacuum would leave it: statistics, and a visibility map for index-only scans.
  await handle.db.$executeRawUnsafe('VACUUM ANALYZE "Message"');
}
