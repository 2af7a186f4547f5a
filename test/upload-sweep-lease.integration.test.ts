// The upload sweep runs on one node at a time: a lease in Redis (SET NX PX), given back only by
// its holder; without Redis, one sweep at a time in the process. Real Redis, a prefix per test.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryExclusive, redisExclusive } from '@/lib/realtime/exclusive';
import { deletePrefix, TEST_REDIS_URL, uniquePrefix } from './helpers/redis';

let redis: Redis;
const prefix = uniquePrefix('lease');
beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  redis?.disconnect();
  await deletePrefix(prefix);
});

/** Work that runs until let go. */
function held() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { work: () => done, release };
}

describe('redisExclusive', () => {
  it('lets one node at a time run the work; the next may once the first is done', async () => {
    const nodeA = redisExclusive(redis, { prefix, nodeId: 'a' });
    const nodeB = redisExclusive(redis, { prefix, nodeId: 'b' });
    const first = held();
    const running = nodeA('upload-sweep', 60_000, first.work);
    // A holds the lease (the key exists once A's SET answered).
    await expect.poll(() => redis.exists(`${prefix}lease:upload-sweep`)).toBe(1);
    let ranOnB = false;
    expect(await nodeB('upload-sweep', 60_000, async () => void (ranOnB = true))).toBe(false);
    expect(ranOnB).toBe(false);
    first.release();
    expect(await running).toBe(true);
    expect(await redis.exists(`${prefix}lease:upload-sweep`)).toBe(0);
    expect(await nodeB('upload-sweep', 60_000, async () => void (ranOnB = true))).toBe(true);
    expect(ranOnB).toBe(true);
  });

  it('a lease that expired is not taken back from its new holder by the old one', async () => {
    const nodeA = redisExclusive(redis, { prefix, nodeId: 'a' });
    const slow = held();
    const running = nodeA('expiring', 200, slow.work);
    await expect.poll(() => redis.exists(`${prefix}lease:expiring`)).toBe(1);
    await expect.poll(() => redis.exists(`${prefix}lease:expiring`), { timeout: 5000 }).toBe(0);
    await redis.set(`${prefix}lease:expiring`, 'someone-else', 'PX', 60_000);
    slow.release();
    await running;
    expect(await redis.get(`${prefix}lease:expiring`)).toBe('someone-else');
  });

  it('gives the lease back when the work fails', async () => {
    const nodeA = redisExclusive(redis, { prefix, nodeId: 'a' });
    await expect(nodeA('failing', 60_000, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await redis.exists(`${prefix}lease:failing`)).toBe(0);
  });
});

describe('memoryExclusive', () => {
  it('runs one at a time in the process', async () => {
    const exclusive = memoryExclusive();
    const first = held();
    const running = exclusive('upload-sweep', 1000, first.work);
    expect(await exclusive('upload-sweep', 1000, async () => undefined)).toBe(false);
    first.release();
    expect(await running).toBe(true);
    expect(await exclusive('upload-sweep', 1000, async () => undefined)).toBe(true);
  });
});
