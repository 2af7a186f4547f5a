import { NextResponse } from 'next/server';
import { authedRoute, parseJson } from '@/lib/http/route';
import { pushSubscriptionInput, pushUnsubscribeInput } from '@/lib/protocol';
import { subscribe, unsubscribe } from '@/lib/push/subscriptions';

/** This browser's push subscription (`subscription.toJSON()`): one per browser, moved to whoever subscribes it last. */
export const POST = authedRoute({ budget: 'pushSubscription' }, async ({ req, ctx, userId, session }) => {
  const input = await parseJson(req, pushSubscriptionInput);
  const { created } = await subscribe(ctx.db, { userId, ...session }, input);
  return { status: created ? 201 : 200, body: { subscribed: true } };
});

/** Push off for this browser: `{ endpoint }`. Answers 204 whether or not it was subscribed. */
export const DELETE = authedRoute({ budget: 'pushSubscription' }, async ({ req, ctx, userId }) => {
  const { endpoint } = await parseJson(req, pushUnsubscribeInput);
  await unsubscribe(ctx.db, userId, endpoint);
  return new NextResponse(null, { status: 204 });
});
