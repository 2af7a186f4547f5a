import { authedRoute, pathId } from '@/lib/http/route';
import { revokeInvite } from '@/lib/chat/invites';

/** Admins revoke a link: opening it then says it was revoked. */
export const DELETE = authedRoute({ budget: 'invite' }, async ({ ctx, userId, params }) => ({
  body: { invite: await revokeInvite(ctx.db, userId, pathId(params, 'id'), pathId(params, 'inviteId')) },
}));
