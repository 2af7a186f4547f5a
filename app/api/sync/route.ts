import { authedRoute, parseJson } from '@/lib/http/route';
import { syncInput } from '@/lib/protocol';
import { syncConversations } from '@/lib/chat/sync';

/** Catch-up after a (re)connect: the conversation list and what is new in the ones named. */
export const POST = authedRoute({ budget: 'sync' }, async ({ req, ctx, userId }) => ({
  body: await syncConversations(ctx.db, userId, await parseJson(req, syncInput)),
}));
