// Runs the sweep of unsent uploads (./upload-lifecycle.ts) every UPLOAD_SWEEP_INTERVAL_MINUTES,
// and once soon after start. With several nodes, one sweeps at a time (a lease in Redis).
import type { Config } from '../config';
import type { Db } from '../db/open';
import type { Logger } from '../logger';
import type { RunExclusive } from '../realtime/exclusive';
import type { FileStorage } from '../storage';
import { sweepUploads, type SweepResult } from './upload-lifecycle';

/** Longer than any sweep should take; a node that dies mid-sweep frees the lease after it. */
const LEASE_MS = 10 * 60 * 1000;
const FIRST_SWEEP_AFTER_MS = 30 * 1000;

export type UploadSweeper = {
  /** One sweep now; null when another node is sweeping. */
  sweepNow(now?: Date): Promise<SweepResult | null>;
  /** Stops the schedule and waits for a sweep under way. */
  stop(): Promise<void>;
};

export function startUploadSweeper(deps: {
  db: Db;
  storage: FileStorage;
  config: Pick<Config, 'uploadSweepAfterMs' | 'uploadSweepIntervalMs'>;
  logger: Logger;
  runExclusive: RunExclusive;
}): UploadSweeper {
  const { db, storage, config, logger, runExclusive } = deps;
  let running: Promise<unknown> = Promise.resolve();

  async function sweepNow(now = new Date()): Promise<SweepResult | null> {
    const olderThan = new Date(now.getTime() - config.uploadSweepAfterMs);
    const box: { result: SweepResult | null } = { result: null };
    await runExclusive('upload-sweep', LEASE_MS, async () => {
      box.result = await sweepUploads(db, storage, olderThan, logger);
    });
    const { result } = box;
    if (result && (result.attachments || result.pendingUploads || result.ofDeletedMessages)) logger.info(result, 'swept uploads never sent in a message');
    return result;
  }

  const tick = () => {
    running = sweepNow().catch((error: unknown) => logger.error({ err: error }, 'the upload sweep failed'));
  };
  const first = setTimeout(tick, Math.min(FIRST_SWEEP_AFTER_MS, config.uploadSweepIntervalMs));
  const every = setInterval(tick, config.uploadSweepIntervalMs);
  first.unref();
  every.unref();

  return {
    sweepNow,
    async stop() {
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}
