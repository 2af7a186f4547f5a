import { authedRoute, parseQuery, pathId } from '@/lib/http/route';
import { searchQuery } from '@/lib/protocol';
import { searchMessages } from '@/lib/chat/search';

export const GET = authedRoute({ budget: 'search' }, async ({ req, ctx, userId, params }) => {
  const conversationId = pathId(params, 'id');
  const { q } = parseQuery(req, searchQuery);
  return { body: { messages: await searchMessages(ctx.db, userId, conversationId, q) } };
});
