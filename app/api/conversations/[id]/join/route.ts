import { authedRoute, pathId } from '@/lib/http/route';
import { joinChannel } from '@/lib/chat/channels';
import { loadConversationFor } from '@/lib/chat/conversations';

/** Anyone joins a public channel; anything else is 404. */
export const POST = authedRoute({ budget: 'joinChannel' }, async ({ ctx, userId, params }) => {
  const conversationId = pathId(params, 'id');
  const note = await joinChannel(ctx.db, userId, conversationId);
  await ctx.notifier.conversationUpdated(conversationId, { added: [userId] });
  await ctx.notifier.noteCreated(note);
  return { body: { conversation: await loadConversationFor(ctx.db, conversationId, userId) } };
});
