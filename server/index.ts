// Entry point: read the configuration, open the database, apply pending migrations, listen.
import { ConfigError, describeConfig, getConfig } from '@/lib/config';
import { databaseTargetFromConfig, openDatabase } from '@/lib/db/open';
import { applyMigrations } from '@/lib/db/migrator';
import { createLogger } from '@/lib/logger';
import { createServer } from './app';

const dev = process.argv.includes('--dev');

async function main() {
  const config = getConfig();
  const logger = createLogger(config.logLevel);
  logger.info(describeConfig(config), 'starting');
  if (config.authSecretGenerated) logger.info('AUTH_SECRET not set: using the generated secret kept under DATA_DIR');

  const database = await openDatabase(databaseTargetFromConfig(config));
  const applied = await applyMigrations(database.adapterFactory);
  if (applied.length) logger.info({ applied }, 'migrations applied');

  const server = await createServer({ config, database, logger, web: config.serveWeb ? { dev } : false });
  const origin = await server.listen();
  logger.info({ url: config.publicUrl ?? origin }, 'listening');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // close() is bounded by SHUTDOWN_TIMEOUT_MS; this catches a step that hangs past it anyway.
    const force = setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
