import { authedRoute, parseJson, pathId } from '@/lib/http/route';
import { addParticipantInput } from '@/lib/protocol';
import { addParticipant, loadConversationFor } from '@/lib/chat/conversations';

export const POST = authedRoute({ budget: 'member' }, async ({ req, ctx, userId, params }) => {
  const conversationId = pathId(params, 'id');
  const { userId: newMemberId } = await parseJson(req, addParticipantInput);
  const note = await addParticipant(ctx.db, userId, conversationId, newMemberId);
  // The newcomer's sockets join the room first, so the note reaches them too.
  await ctx.notifier.conversationUpdated(conversationId, { added: [newMemberId] });
  await ctx.notifier.noteCreated(note);
  return { status: 201, body: { conversation: await loadConversationFor(ctx.db, conversationId, userId) } };
});
