import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrationList } from '@/lib/db/migrator';
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
});
