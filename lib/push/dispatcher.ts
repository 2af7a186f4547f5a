// Web Push off the request path. A new message only queues one job (cheap, inside the send);
// workers on every node take jobs from the shared queue: a message job works out who gets a
// push (./recipients.ts) and queues one send job per browser; a send job encrypts and posts one
// push (./sender.ts). A failed send is tried again with exponential backoff; a 404/410 deletes
// the subscription. With Redis each job is taken by one node (./redis-queue.ts).
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Db } from '../db/open';
import type { Logger } from '../logger';
import type { JobQueue, TakenJob } from './queue';
import { planPushes, type QueuedMessage, type TabPresence } from './recipients';
import type { PushSender } from './sender';
import { deleteSubscriptions } from './subscriptions';

type MessageJob = { id: string; kind: 'message'; messageId: string; conversationId: string; senderId: string; attempt: number };
type SendJob = { id: string; kind: 'send'; messageId: string; subscriptionId: string; userId: string; payload: string; urgent: boolean; topic: string; attempt: number };
type Job = MessageJob | SendJob;

export type PushRetryPolicy = {
  /** The first retry waits about this long; each next one twice as long (with ±25% jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Tries in all, the first included. */
  maxAttempts: number;
};

export const DEFAULT_RETRY: PushRetryPolicy = { baseDelayMs: 2_000, maxDelayMs: 10 * 60_000, maxAttempts: 6 };

export type PushDispatcherDeps = {
  db: Db;
  logger: Logger;
  queue: JobQueue;
  presence: TabPresence;
  send: PushSender;
  retry?: Partial<PushRetryPolicy>;
  /** Jobs handled at once on this node. */
  concurrency?: number;
};

/** What this node did, for logs and tests to follow: a message's recipients, and each send's end. */
export type PushEvents = {
  planned: [{ messageId: string; userIds: string[]; deliveries: number }];
  settled: [{ messageId: string; subscriptionId: string; outcome: 'sent' | 'gone' | 'rejected' | 'gave-up' | 'skipped' }];
  /** A job failed for now and will be tried again (`send`: the push service did not take it). */
  retrying: [{ kind: 'message' | 'send'; attempt: number }];
};

export type PushDispatcher = {
  readonly events: EventEmitter<PushEvents>;
  /** Queues the pushes for a message just stored. */
  messageCreated(message: QueuedMessage): Promise<void>;
  start(): void;
  /** Takes no more jobs and waits for those running (or the deadline); unfinished ones stay queued. */
  stop(deadline: Promise<void>): Promise<void>;
};

export function createPushDispatcher(deps: PushDispatcherDeps): PushDispatcher {
  const { db, logger, queue, presence, send } = deps;
  const retry: PushRetryPolicy = { ...DEFAULT_RETRY, ...deps.retry };
  // Few at once: the sends they would slow down matter more than a push a moment sooner.
  const concurrency = deps.concurrency ?? 4;
  const running = new Set<Promise<void>>();
  let loop: Promise<void> | null = null;
  let stopping = false;
  const events = new EventEmitter<PushEvents>();
  const settled = (job: SendJob, outcome: PushEvents['settled'][0]['outcome']): void => {
    events.emit('settled', { messageId: job.messageId, subscriptionId: job.subscriptionId, outcome });
  };

  const backoff = (attempt: number, hintMs?: number) => {
    const exponential = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt) * (0.75 + Math.random() / 2);
    return Math.min(retry.maxDelayMs, Math.max(hintMs ?? 0, exponential));
  };

  /** Tries the job again later, or gives up after the last attempt. */
  async function again(taken: TakenJob, job: Job, why: string, hintMs?: number): Promise<void> {
    if (job.attempt + 1 >= retry.maxAttempts) {
      logger.warn({ job: job.kind, attempts: job.attempt + 1, reason: why }, 'push: giving up');
      if (job.kind === 'send') settled(job, 'gave-up');
      return taken.done();
    }
    await taken.retryIn(backoff(job.attempt, hintMs), JSON.stringify({ ...job, attempt: job.attempt + 1 }));
    events.emit('retrying', { kind: job.kind, attempt: job.attempt + 1 });
  }

  async function planMessage(taken: TakenJob, job: MessageJob): Promise<void> {
    const plan = await planPushes(db, presence, job);
    await deleteSubscriptions(db, plan.stale);
    const topic = (id: string) => id.replace(/-/g, '').slice(0, 32);
    for (const delivery of plan.deliveries) {
      const sendJob: SendJob = {
        id: randomUUID(),
        kind: 'send',
        messageId: job.messageId,
        subscriptionId: delivery.subscription.id,
        userId: delivery.userId,
        payload: JSON.stringify(delivery.payload),
        urgent: delivery.urgent,
        topic: topic(delivery.payload.conversationId),
        attempt: 0,
      };
      await queue.push(JSON.stringify(sendJob));
    }
    await taken.done();
    events.emit('planned', { messageId: job.messageId, userIds: [...new Set(plan.deliveries.map((d) => d.userId))], deliveries: plan.deliveries.length });
  }

  async function sendOne(taken: TakenJob, job: SendJob): Promise<void> {
    // Read again at every attempt: the browser may have unsubscribed, or moved to another user.
    const target = await db.pushSubscription.findUnique({ where: { id: job.subscriptionId }, select: { userId: true, endpoint: true, p256dh: true, auth: true } });
    if (!target || target.userId !== job.userId) {
      await taken.done();
      return settled(job, 'skipped');
    }
    const outcome = await send(target, job.payload, { urgent: job.urgent, topic: job.topic });
    switch (outcome.kind) {
      case 'sent':
        await taken.done();
        return settled(job, 'sent');
      case 'gone':
        await deleteSubscriptions(db, [job.subscriptionId]);
        logger.info({ status: outcome.status }, 'push: subscription gone, deleted');
        await taken.done();
        return settled(job, 'gone');
      case 'rejected':
        logger.warn({ status: outcome.status, reason: outcome.reason }, 'push: refused by the push service');
        await taken.done();
        return settled(job, 'rejected');
      case 'retry':
        return again(taken, job, outcome.reason, outcome.afterMs);
    }
  }

  async function handle(taken: TakenJob): Promise<void> {
    let job: Job;
    try {
      job = JSON.parse(taken.job) as Job;
    } catch {
      logger.warn('push: dropped a malformed job');
      return taken.done();
    }
    try {
      if (job.kind === 'message') await planMessage(taken, job);
      else await sendOne(taken, job);
    } catch (error) {
      // The database or the queue failed mid-way: the whole job again, later.
      logger.warn({ err: error, job: job.kind }, 'push: job failed');
      await again(taken, job, error instanceof Error ? error.message : String(error));
    }
  }

  async function work(): Promise<void> {
    while (!stopping) {
      if (running.size >= concurrency) {
        await Promise.race(running);
        continue;
      }
      const taken = await queue.take();
      if (!taken) return;
      const done: Promise<void> = handle(taken)
        .catch((error: unknown) => logger.error({ err: error }, 'push: a job could not be settled'))
        .finally(() => running.delete(done));
      running.add(done);
    }
  }

  return {
    events,
    async messageCreated({ messageId, conversationId, senderId }) {
      const job: MessageJob = { id: randomUUID(), kind: 'message', messageId, conversationId, senderId, attempt: 0 };
      await queue.push(JSON.stringify(job));
    },
    start() {
      loop ??= work().catch((error: unknown) => logger.error({ err: error }, 'push: the worker stopped'));
    },
    async stop(deadline) {
      stopping = true;
      queue.stopTaking();
      await Promise.race([Promise.allSettled([loop, ...running]), deadline]);
      await queue.close();
    },
  };
}
