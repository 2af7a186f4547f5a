// A fresh, migrated database for one test file: in-memory PGlite by default, or a new database
// on the PostgreSQL server named by TEST_DATABASE_URL (dropped again on close).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '@/lib/db/open';
import { applyMigrations } from '@/lib/db/migrator';

export const testDatabaseKind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

/**
 * `migrations` is the folder of migrations to apply (all of them by default). `url` (PostgreSQL
 * only) lets a test open a second handle, as a second node would.
 */
export async function createTestDatabase({ poolSize = 10, migrations }: { poolSize?: number; migrations?: string } = {}): Promise<
  DatabaseHandle & { url?: string }
> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const handle = await openDatabase({ kind: 'pglite' });
    await applyMigrations(handle.adapterFactory, migrations);
    return handle;
  }
  const name = `t_${randomUUID().replace(/-/g, '')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize });
  await applyMigrations(handle.adapterFactory, migrations);
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
