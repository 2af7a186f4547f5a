import { authedRoute, parseQuery } from '@/lib/http/route';
import { followedThreadsQuery } from '@/lib/protocol';
import { unreadThreads } from '@/lib/chat/threads';

/** Threads I follow with unread replies (`?conversationId=` for one conversation's). */
export const GET = authedRoute({ budget: 'read' }, async ({ req, ctx, userId }) => {
  const { conversationId } = parseQuery(req, followedThreadsQuery);
  return { body: { threads: await unreadThreads(ctx.db, userId, conversationId) } };
});
