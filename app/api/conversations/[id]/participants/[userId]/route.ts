import { authedRoute, pathId } from '@/lib/http/route';
import { removeParticipant } from '@/lib/chat/conversations';

/** Admins remove a member; anyone removes themself (leaves the group). */
export const DELETE = authedRoute({ budget: 'member' }, async ({ ctx, userId, params }) => {
  const conversationId = pathId(params, 'id');
  const memberId = pathId(params, 'userId');
  await removeParticipant(ctx.db, userId, conversationId, memberId);
  await ctx.notifier.conversationUpdated(conversationId, { removed: [memberId] });
  return new Response(null, { status: 204 });
});
