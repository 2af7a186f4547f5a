// Migrations through Prisma's WebAssembly schema engine, so they work offline on PGlite and on
// PostgreSQL alike. Applied migrations are recorded in Prisma's own `_prisma_migrations` table,
// so `prisma migrate deploy` stays compatible with a database migrated here.
import { readFile, readdir, mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine as SchemaEngineType } from '@prisma/schema-engine-wasm';
import type * as SchemaEngineModule from '@prisma/schema-engine-wasm';

const require = createRequire(import.meta.url);
export const PRISMA_DIR = path.resolve(import.meta.dirname, '../../prisma');
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, 'migrations');
export const SCHEMA_PATH = path.join(PRISMA_DIR, 'schema.prisma');

const NO_FILTERS = { externalTables: [], externalEnums: [] };

type EngineModule = typeof SchemaEngineModule;
let engineModule: Promise<EngineModule> | undefined;

/** Instantiates the wasm by hand, so no `--experimental-wasm-modules` flag is needed. */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bindings = (await import(bgPath)) as EngineModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const bytes = await readFile(path.join(path.dirname(bgPath), 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return engineModule;
}

async function withEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  run: (engine: SchemaEngineType, schema: string) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadEngineModule();
  const schema = await readFile(SCHEMA_PATH, 'utf8');
  // The engine never disposes what it connects; close those connections ourselves, or the
  // migration advisory lock stays held on a pooled connection and the next run waits for it.
  const opened: SqlDriverAdapter[] = [];
  const track = async (connecting: Promise<SqlDriverAdapter>) => {
    const adapter = await connecting;
    opened.push(adapter);
    return adapter;
  };
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: adapterFactory.provider,
    adapterName: adapterFactory.adapterName,
    connect: () => track(adapterFactory.connect()),
    connectToShadowDb: () => track(adapterFactory.connectToShadowDb()),
  };
  const engine = await SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  try {
    return await run(engine, schema);
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose()));
  }
}

export async function readMigrationList(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const lockPath = path.join(dir, 'migration_lock.toml');
  const lockContent = await readFile(lockPath, 'utf8').catch(() => null);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories = await Promise.all(
    entries
      .filter((entry) => entry.isDirectory())
      .map(async (entry) => {
        const file = path.join(dir, entry.name, 'migration.sql');
        const content = await readFile(file, 'utf8').then(
          (value) => ({ tag: 'ok' as const, value }),
          (error: Error) => ({ tag: 'error' as const, value: error.message }),
        );
        return { path: entry.name, migrationFile: { path: 'migration.sql', content } };
      }),
  );
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: lockContent },
    shadowDbInitScript: '',
    migrationDirectories,
  };
}

/** Applies every pending migration; returns the names applied now (empty when up to date). */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  dir = MIGRATIONS_DIR,
): Promise<string[]> {
  const migrationsList = await readMigrationList(dir);
  return withEngine(adapterFactory, async (engine) => {
    const result = await engine.applyMigrations({ migrationsList, filters: NO_FILTERS });
    return result.appliedMigrationNames;
  });
}

/**
 * The SQL that takes the database built by the existing migrations to the schema. The
 * migrations are replayed on the adapter factory's shadow database (an in-memory PGlite).
 */
export async function diffMigrationsToSchema(
  shadowFactory: SqlMigrationAwareDriverAdapterFactory,
  dir = MIGRATIONS_DIR,
): Promise<string> {
  const migrationsList = await readMigrationList(dir);
  return withEngine(shadowFactory, async (engine, schema) => {
    const from = migrationsList.migrationDirectories.length
      ? ({ tag: 'migrations', ...migrationsList } as const)
      : ({ tag: 'empty' } as const);
    const result = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files: [{ path: SCHEMA_PATH, content: schema }] },
      script: true,
      exitCode: null,
      filters: NO_FILTERS,
    });
    return result.stdout ?? '';
  });
}

/** Writes `<timestamp>_<name>/migration.sql`; returns its path, or null when nothing changed. */
export async function writeMigration(sql: string, name: string, dir = MIGRATIONS_DIR): Promise<string | null> {
  if (!sql.trim() || /^-- This is an empty migration\.?\s*$/.test(sql.trim())) return null;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const folder = path.join(dir, `${stamp}_${name.replace(/[^a-z0-9_]+/gi, '_').toLowerCase()}`);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'migration.sql'), sql);
  const lock = path.join(dir, 'migration_lock.toml');
  await readFile(lock).catch(() =>
    writeFile(lock, '# Please do not edit this file manually\nprovider = "postgresql"\n'),
  );
  return path.join(folder, 'migration.sql');
}
