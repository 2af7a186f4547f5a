import { authedRoute, pathId } from '@/lib/http/route';
import { removeParticipant } from '@/lib/chat/conversations';

/** Admins remove a member; anyone removes themself (leaves the group). The timeline tells it. */
export const DELETE = authedRoute({ budget: 'member' }, async ({ ctx, userId, params }) => {
  const conversationId = pathId(params, 'id');
  const memberId = pathId(params, 'userId');
  const note = await removeParticipant(ctx.db, userId, conversationId, memberId);
  // The note first, while the one who goes is still in the room: they see it too.
  await ctx.notifier.noteCreated(note);
  await ctx.notifier.conversationUpdated(conversationId, { removed: [memberId] });
  return new Response(null, { status: 204 });
});
