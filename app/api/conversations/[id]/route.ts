import { authedRoute, parseJson, pathId } from '@/lib/http/route';
import { updateConversationInput } from '@/lib/protocol';
import { forgetLeftConversation, getConversation, loadConversationFor, updateConversation } from '@/lib/chat/conversations';

/** A member's view, or a removed member's read-only one (`left`); 404 for anyone else. */
export const GET = authedRoute({ budget: 'read' }, async ({ ctx, userId, params }) => ({
  body: { conversation: await getConversation(ctx.db, pathId(params, 'id'), userId) },
}));

/** Admins rename, describe, or make a group public or private; each change is a timeline note. */
export const PATCH = authedRoute({ budget: 'updateConversation' }, async ({ req, ctx, userId, params }) => {
  const conversationId = pathId(params, 'id');
  const changes = await parseJson(req, updateConversationInput);
  const notes = await updateConversation(ctx.db, userId, conversationId, changes);
  await ctx.notifier.conversationUpdated(conversationId);
  for (const note of notes) await ctx.notifier.noteCreated(note);
  return { body: { conversation: await loadConversationFor(ctx.db, conversationId, userId) } };
});

/** A removed member deletes the conversation from their list (a member must leave first: 409). */
export const DELETE = authedRoute({ budget: 'member' }, async ({ ctx, userId, params }) => {
  await forgetLeftConversation(ctx.db, userId, pathId(params, 'id'));
  return new Response(null, { status: 204 });
});
