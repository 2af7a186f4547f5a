import { AppError } from '@/lib/errors';
import { authedRoute } from '@/lib/http/route';
import { inviteCodeSchema } from '@/lib/protocol';
import { joinByInvite } from '@/lib/chat/invites';
import { loadConversationFor } from '@/lib/chat/conversations';

/** Joins the group a valid link leads to (410 when it expired, was used up or revoked). */
export const POST = authedRoute({ budget: 'inviteUse' }, async ({ ctx, userId, params }) => {
  const code = inviteCodeSchema.safeParse(params.code);
  if (!code.success) throw new AppError('not_found', 'This invite link does not exist.');
  const joined = await joinByInvite(ctx.db, userId, code.data);
  if (joined.note) {
    await ctx.notifier.conversationUpdated(joined.conversationId, { added: [userId] });
    await ctx.notifier.noteCreated(joined.note);
  }
  return { body: { conversation: await loadConversationFor(ctx.db, joined.conversationId, userId), joined: joined.note !== null } };
});
