import { authedRoute, parseJson, pathId } from '@/lib/http/route';
import { updateConversationInput } from '@/lib/protocol';
import { getConversation, loadConversationFor, updateConversation } from '@/lib/chat/conversations';

export const GET = authedRoute({ budget: 'read' }, async ({ ctx, userId, params }) => ({
  body: { conversation: await getConversation(ctx.db, pathId(params, 'id'), userId) },
}));

export const PATCH = authedRoute({ budget: 'updateConversation' }, async ({ req, ctx, userId, params }) => {
  const conversationId = pathId(params, 'id');
  const changes = await parseJson(req, updateConversationInput);
  await updateConversation(ctx.db, userId, conversationId, changes);
  await ctx.notifier.conversationUpdated(conversationId);
  return { body: { conversation: await loadConversationFor(ctx.db, conversationId, userId) } };
});
