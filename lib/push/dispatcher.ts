// Web Push off the request path. A new message is only noted in memory (cheap, inside the send);
// every few milliseconds the messages noted become one job on the shared queue. Workers on every
// node take jobs from it: a messages job works out who gets a push (./recipients.ts, a query or
// three for the whole batch) and queues one send job per browser; a send job encrypts and posts one
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

type MessagesJob = { id: string; kind: 'messages'; messages: QueuedMessage[]; attempt: number };
/** One message's job, as nodes before batching queued it (a queue in Redis may still hold some). */
type MessageJob = { id: string; kind: 'message'; attempt: number } & QueuedMessage;
type SendJob = { id: string; kind: 'send'; messageId: string; subscriptionId: string; userId: string; payload: string; urgent: boolean; topic: string; attempt: number };
type Job = MessagesJob | MessageJob | SendJob;

/** Messages noted wait at most this long to be planned together, and at most this many make one job. */
const BATCH_WAIT_MS = 50;
const BATCH_MAX = 500;

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
  /** A job of messages noted together is being planned. */
  planning: [{ messages: number }];
  planned: [{ messageId: string; userIds: string[]; deliveries: number }];
  settled: [{ messageId: string; subscriptionId: string; outcome: 'sent' | 'gone' | 'rejected' | 'gave-up' | 'skipped' }];
  /** A job failed for now and will be tried again (`send`: the push service did not take it). */
  retrying: [{ kind: 'messages' | 'send'; attempt: number }];
};

export type PushDispatcher = {
  readonly events: EventEmitter<PushEvents>;
  /** Notes a message just stored: its pushes are planned with the others noted within a few ms. */
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
  async function again(taken: TakenJob, job: MessagesJob | SendJob, why: string, hintMs?: number): Promise<void> {
    if (job.attempt + 1 >= retry.maxAttempts) {
      logger.warn({ job: job.kind, attempts: job.attempt + 1, reason: why }, 'push: giving up');
      if (job.kind === 'send') settled(job, 'gave-up');
      return taken.done();
    }
    await taken.retryIn(backoff(job.attempt, hintMs), JSON.stringify({ ...job, attempt: job.attempt + 1 }));
    events.emit('retrying', { kind: job.kind, attempt: job.attempt + 1 });
  }

  async function planMessages(taken: TakenJob, job: MessagesJob): Promise<void> {
    events.emit('planning', { messages: job.messages.length });
    const plan = await planPushes(db, presence, job.messages);
    await deleteSubscriptions(db, plan.stale);
    const topic = (id: string) => id.replace(/-/g, '').slice(0, 32);
    for (const [messageId, deliveries] of plan.deliveries) {
      for (const delivery of deliveries) {
        const sendJob: SendJob = {
          id: randomUUID(),
          kind: 'send',
          messageId,
          subscriptionId: delivery.subscription.id,
          userId: delivery.userId,
          payload: JSON.stringify(delivery.payload),
          urgent: delivery.urgent,
          topic: topic(delivery.payload.conversationId),
          attempt: 0,
        };
        await queue.push(JSON.stringify(sendJob));
      }
    }
    await taken.done();
    for (const [messageId, deliveries] of plan.deliveries) {
      events.emit('planned', { messageId, userIds: [...new Set(deliveries.map((d) => d.userId))], deliveries: deliveries.length });
    }
  }

  // Messages noted and not yet queued as a job.
  let noted: QueuedMessage[] = [];
  let flushTimer: NodeJS.Timeout | null = null;
  async function flush(): Promise<void> {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    const messages = noted;
    noted = [];
    if (messages.length === 0) return;
    const job: MessagesJob = { id: randomUUID(), kind: 'messages', messages, attempt: 0 };
    await queue.push(JSON.stringify(job));
  }
  const flushLogged = () => flush().catch((error: unknown) => logger.warn({ err: error }, 'push: could not queue messages'));

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
    let job: MessagesJob | SendJob;
    try {
      const parsed = JSON.parse(taken.job) as Job;
      job = parsed.kind === 'message' ? { id: parsed.id, kind: 'messages', messages: [parsed], attempt: parsed.attempt } : parsed;
    } catch {
      logger.warn('push: dropped a malformed job');
      return taken.done();
    }
    try {
      if (job.kind === 'messages') await planMessages(taken, job);
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
      // Past stop() the queue is closed (shutdown writes every send before stopping push).
      if (stopping) return;
      noted.push({ messageId, conversationId, senderId });
      if (noted.length >= BATCH_MAX) void flushLogged();
      else flushTimer ??= setTimeout(() => void flushLogged(), BATCH_WAIT_MS);
    },
    start() {
      loop ??= work().catch((error: unknown) => logger.error({ err: error }, 'push: the worker stopped'));
    },
    async stop(deadline) {
      // What was noted goes to the queue first: with Redis another node plans it.
      await flushLogged();
      stopping = true;
      queue.stopTaking();
      await Promise.race([Promise.allSettled([loop, ...running]), deadline]);
      await queue.close();
    },
  };
}
