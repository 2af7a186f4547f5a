// Opens a database handle: embedded PGlite (persisted under a directory, or in memory) or a
// PostgreSQL server through @prisma/adapter-pg. Both yield the same Prisma client type.
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import { PrismaClient } from './generated/client';

export type Db = PrismaClient;

export type DatabaseTarget =
  | { kind: 'pglite'; /** Directory to persist in; in memory when omitted. */ dir?: string }
  | { kind: 'postgres'; url: string; poolSize?: number };

export type DatabaseHandle = {
  db: Db;
  kind: DatabaseTarget['kind'];
  /** For the schema engine (migrations). */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  close(): Promise<void>;
};

/** Handles on embedded PGlite, whose queries run on this process's own thread. */
const embedded = new WeakSet<Db>();

/** True when the database's work runs on this thread (PGlite): what it costs, the sockets wait for. */
export function runsOnThisThread(db: Db): boolean {
  return embedded.has(db);
}

/**
 * A raw statement that starts with `/* statement: <name> *\/` is prepared once per PostgreSQL
 * connection under that name and reused: parsed and planned once instead of on every call. For
 * the hot statements only (the batch insert): pg keeps every named statement for the
 * connection's life, so naming everything would grow without bound.
 */
const NAMED_STATEMENT = /^\/\* statement: ([\w-]+) \*\//;
/** '' leaves a statement unnamed (pg prepares and forgets it). */
const statementName = (query: SqlQuery): string => NAMED_STATEMENT.exec(query.sql)?.[1] ?? '';

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const pgFactory = new PrismaPg({ connectionString: target.url, max: target.poolSize ?? 20 }, { statementNameGenerator: statementName });
    const db = new PrismaClient({ adapter: pgFactory });
    return { db, kind: 'postgres', adapterFactory: wholeScriptPg(pgFactory), close: () => db.$disconnect() };
  }
  if (target.dir) await mkdir(target.dir, { recursive: true });
  const pglite = target.dir ? new PGlite(target.dir) : new PGlite();
  await pglite.waitReady;
  const adapterFactory = new PrismaPGlite(pglite);
  const db = new PrismaClient({ adapter: adapterFactory });
  embedded.add(db);
  return {
    db,
    kind: 'pglite',
    adapterFactory,
    async close() {
      await db.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

export function databaseTargetFromConfig(config: { databaseUrl?: string; dataDir: string }): DatabaseTarget {
  return config.databaseUrl
    ? { kind: 'postgres', url: config.databaseUrl }
    : { kind: 'pglite', dir: path.join(config.dataDir, 'pglite') };
}

type ScriptRunner = { executeScript(script: string): Promise<void> };
type PgAdapterInternals = ScriptRunner & {
  client: { query(sql: string): Promise<unknown> };
  onError(error: unknown): never;
};

/**
 * adapter-pg runs a migration script by splitting it on ";", which breaks PL/pgSQL bodies (our
 * search trigger). Send the whole script in one simple-protocol query instead, as Prisma's
 * native engine does.
 */
function wholeScriptPg(factory: PrismaPg): SqlMigrationAwareDriverAdapterFactory {
  const patch = <T extends object>(adapter: T): T => {
    const internals = adapter as unknown as PgAdapterInternals;
    internals.executeScript = async (script) => {
      try {
        await internals.client.query(script);
      } catch (error) {
        internals.onError(error);
      }
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}
