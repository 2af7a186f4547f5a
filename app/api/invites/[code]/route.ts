import { AppError } from '@/lib/errors';
import { authedRoute } from '@/lib/http/route';
import { inviteCodeSchema } from '@/lib/protocol';
import { previewInvite } from '@/lib/chat/invites';

/** What an invite link leads to, and whether it still works. */
export const GET = authedRoute({ budget: 'inviteUse' }, async ({ ctx, userId, params }) => {
  const code = inviteCodeSchema.safeParse(params.code);
  if (!code.success) throw new AppError('not_found', 'This invite link does not exist.');
  return { body: { invite: await previewInvite(ctx.db, userId, code.data) } };
});
