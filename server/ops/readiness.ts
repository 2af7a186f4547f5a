// What /readyz answers: whether this node can serve — the database reachable, every migration in
// the image applied, Redis reachable when configured. Each check is bounded, so a dependency that
// hangs answers "failed" instead of holding the probe; the cause goes to the log, not the answer
// (it may name internal hosts).
import { readdir } from 'node:fs/promises';
import type { Db } from '@/lib/db/open';
import { MIGRATIONS_DIR } from '@/lib/db/migrator';
import type { Logger } from '@/lib/logger';

export type CheckName = 'database' | 'migrations' | 'redis';
/** `unknown`: not checked, because what it depends on failed (migrations without the database). */
export type CheckState = 'ok' | 'failed' | 'pending' | 'unknown' | 'not_configured';
export type Readiness = {
  ready: boolean;
  /** The checks that failed, in the order above; empty when ready. */
  failed: (CheckName | 'shutdown')[];
  checks: Record<CheckName, CheckState>;
};

const CHECK_TIMEOUT_MS = 2_000;

type Deps = {
  db: Db;
  logger: Logger;
  /** Answers when Redis does; undefined without REDIS_URL. */
  pingRedis: (() => Promise<unknown>) | undefined;
  /** True once the server has begun shutting down: the proxy should stop sending it work. */
  stopping: () => boolean;
  migrationsDir?: string;
};

export function createReadiness({ db, logger, pingRedis, stopping, migrationsDir = MIGRATIONS_DIR }: Deps): () => Promise<Readiness> {
  let expected: Promise<string[]> | undefined;
  const expectedMigrations = () =>
    (expected ??= readdir(migrationsDir, { withFileTypes: true }).then((entries) => entries.filter((e) => e.isDirectory()).map((e) => e.name)));

  async function check(name: CheckName, run: () => Promise<CheckState>): Promise<CheckState> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
    });
    try {
      return await Promise.race([run(), timeout]);
    } catch (error) {
      logger.warn({ err: error, check: name }, 'readiness check failed');
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  }

  const database = () => check('database', async () => (await db.$queryRawUnsafe('SELECT 1'), 'ok'));

  const migrations = () =>
    check('migrations', async () => {
      const applied = await db
        .$queryRawUnsafe<{ migration_name: string }[]>(
          'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
        )
        // No table yet: nothing was ever applied.
        .catch((error: unknown) => {
          if (/_prisma_migrations/.test(String(error))) return [];
          throw error;
        });
      const done = new Set(applied.map((row) => row.migration_name));
      const pending = (await expectedMigrations()).filter((name) => !done.has(name));
      if (pending.length) logger.warn({ pending }, 'readiness: migrations not applied');
      return pending.length ? 'pending' : 'ok';
    });

  const redis = () => (pingRedis ? check('redis', async () => (await pingRedis(), 'ok')) : Promise.resolve<CheckState>('not_configured'));

  return async () => {
    const db = await database();
    const [migrationState, redisState] = await Promise.all([db === 'ok' ? migrations() : Promise.resolve<CheckState>('unknown'), redis()]);
    const checks = { database: db, migrations: migrationState, redis: redisState };
    const failed: Readiness['failed'] = (['database', 'migrations', 'redis'] as const).filter((name) => checks[name] === 'failed' || checks[name] === 'pending');
    if (stopping()) failed.push('shutdown');
    return { ready: failed.length === 0, failed, checks };
  };
}
