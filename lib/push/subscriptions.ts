// Web Push subscriptions: one per browser. The endpoint is unique, so a browser subscribing
// again (another user signing in there, or new keys) moves its one row instead of adding one.
// Each row remembers the credential that made it; a push goes only while that credential still
// counts (./recipients.ts), so signing a browser out silences it even if it never unsubscribed.
import type { Db } from '../db/open';
import type { PushSubscriptionInput } from '../protocol';

/** A user's browsers with push on; past this the oldest subscription is dropped. */
export const MAX_SUBSCRIPTIONS_PER_USER = 20;

export type SubscribingCredential = { userId: string; sessionId: string | null; tokenVersion: number };

export async function subscribe(db: Db, credential: SubscribingCredential, input: PushSubscriptionInput): Promise<{ created: boolean }> {
  const data = {
    userId: credential.userId,
    sessionId: credential.sessionId,
    tokenVersion: credential.tokenVersion,
    p256dh: input.keys.p256dh,
    auth: input.keys.auth,
  };
  const existing = await db.pushSubscription.findUnique({ where: { endpoint: input.endpoint }, select: { id: true } });
  await db.pushSubscription.upsert({ where: { endpoint: input.endpoint }, create: { endpoint: input.endpoint, ...data }, update: data });
  const surplus = await db.pushSubscription.findMany({
    where: { userId: credential.userId },
    orderBy: { updatedAt: 'desc' },
    skip: MAX_SUBSCRIPTIONS_PER_USER,
    select: { id: true },
  });
  if (surplus.length) await db.pushSubscription.deleteMany({ where: { id: { in: surplus.map((s) => s.id) } } });
  return { created: !existing };
}

/** Removes this browser's subscription, if it is the user's (anyone else's is left alone). */
export async function unsubscribe(db: Db, userId: string, endpoint: string): Promise<void> {
  await db.pushSubscription.deleteMany({ where: { endpoint, userId } });
}

/** The subscriptions a browser session made: gone when it signs out. */
export async function unsubscribeSession(db: Db, userId: string, sessionId: string): Promise<void> {
  await db.pushSubscription.deleteMany({ where: { userId, sessionId } });
}

/** The push service said the subscription is gone (404/410), or its credential no longer counts. */
export async function deleteSubscriptions(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length) await db.pushSubscription.deleteMany({ where: { id: { in: [...ids] } } });
}
