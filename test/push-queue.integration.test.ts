// The push queue in Redis (lib/push/redis-queue.ts) against a real Redis: each job goes to one
// node of several waiting, a retry comes back after its delay, and a crashed node's unfinished
// job returns to the others once its lease lapses; a node stopping on purpose hands its back.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisJobQueue } from '@/lib/push/redis-queue';
import { createCommandClient, createSubscriberClient, whenReady } from '@/server/realtime/redis';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from './helpers/redis';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function connected(client: Redis): Promise<Redis> {
  client.on('error', () => {});
  cleanups.push(() => client.disconnect());
  await whenReady(client, 5000);
  return client;
}

async function queueNode(prefix: string, leaseMs = 60_000) {
  const commands = await connected(createCommandClient(TEST_REDIS_URL, 'push-queue-test'));
  const blocking = await connected(createSubscriberClient(TEST_REDIS_URL, 'push-queue-test-blocking'));
  const queue = new RedisJobQueue(commands, blocking, { prefix, nodeId: randomUUID(), leaseMs, tickMs: 50 });
  await queue.start();
  return { queue, commands, blocking };
}

function testPrefix(): string {
  const prefix = uniquePrefix('pushq');
  cleanups.push(() => deletePrefix(prefix));
  return prefix;
}

describe('RedisJobQueue', () => {
  it('gives each job to exactly one of the nodes waiting', async () => {
    const prefix = testPrefix();
    const nodes = await Promise.all([queueNode(prefix), queueNode(prefix), queueNode(prefix)]);
    cleanups.push(() => Promise.all(nodes.map((n) => n.queue.close())));
    const jobs = Array.from({ length: 30 }, (_, i) => `job-${i}`);
    const taken: string[][] = nodes.map(() => []);
    const takers = nodes.map(async (node, i) => {
      for (;;) {
        const job = await node.queue.take();
        if (!job) return;
        taken[i]!.push(job.job);
        await job.done();
      }
    });
    for (const job of jobs) await nodes[0]!.queue.push(job);
    await expect.poll(() => taken.flat().length, { timeout: 10_000 }).toBe(jobs.length);
    expect(taken.flat().sort()).toEqual([...jobs].sort());
    for (const node of nodes) node.queue.stopTaking();
    await Promise.all(takers);
  });

  it('brings a retried job back after its delay, and a crashed node’s job back after its lease', async () => {
    const prefix = testPrefix();
    const crashing = await queueNode(prefix, 300);
    await crashing.queue.push('retry me');
    const first = await crashing.queue.take();
    const retriedAt = Date.now();
    await first!.retryIn(200, 'retry me (2)');
    const again = await crashing.queue.take();
    expect(again?.job).toBe('retry me (2)');
    expect(Date.now() - retriedAt).toBeGreaterThanOrEqual(150);

    // The node dies holding the job: no release, no more lease renewals.
    crashing.queue.stopTaking();
    crashing.commands.disconnect();
    const survivor = await queueNode(prefix, 300);
    cleanups.push(() => survivor.queue.close());
    const recovered = await survivor.queue.take();
    expect(recovered?.job).toBe('retry me (2)');
    await recovered!.done();
  });

  it('hands back what it took but did not finish when it stops on purpose', async () => {
    const prefix = testPrefix();
    const [leaving, staying] = await Promise.all([queueNode(prefix), queueNode(prefix)]);
    cleanups.push(() => staying.queue.close());
    await leaving.queue.push('unfinished');
    expect((await leaving.queue.take())?.job).toBe('unfinished');
    await leaving.queue.close();
    const taken = await staying.queue.take();
    expect(taken?.job).toBe('unfinished');
    await taken!.done();
  });
});
