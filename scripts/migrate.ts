// npm run db:migrate            apply pending migrations to the configured database
// npm run db:migrate:new -- NAME  write the next migration from the schema diff
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { getConfig } from '../lib/config';
import { databaseTargetFromConfig, openDatabase } from '../lib/db/open';
import { applyMigrations, diffMigrationsToSchema, writeMigration } from '../lib/db/migrator';

const [command, name] = process.argv.slice(2);

if (command === 'apply') {
  const handle = await openDatabase(databaseTargetFromConfig(getConfig()));
  try {
    const applied = await applyMigrations(handle.adapterFactory);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  } finally {
    await handle.close();
  }
} else if (command === 'new') {
  if (!name) {
    console.error('usage: npm run db:migrate:new -- <name>');
    process.exit(2);
  }
  // The existing migrations are replayed on an in-memory PGlite shadow database.
  const sql = await diffMigrationsToSchema(new PrismaPGlite(new PGlite()));
  const file = await writeMigration(sql, name);
  console.log(file ? `Wrote ${file}` : 'The schema matches the migrations; nothing to write.');
} else {
  console.error('usage: tsx scripts/migrate.ts apply | new <name>');
  process.exit(2);
}
