import { authedRoute, parseJson, pathId } from '@/lib/http/route';
import { createGroupInviteInput } from '@/lib/protocol';
import { createInvite, listInvites } from '@/lib/chat/invites';

/** A group's invite links (admins). */
export const GET = authedRoute({ budget: 'read' }, async ({ ctx, userId, params }) => ({
  body: { invites: await listInvites(ctx.db, userId, pathId(params, 'id')) },
}));

/** Admins make a link, with an optional expiry and use limit. */
export const POST = authedRoute({ budget: 'invite' }, async ({ req, ctx, userId, params }) => {
  const conversationId = pathId(params, 'id');
  const input = await parseJson(req, createGroupInviteInput);
  return { status: 201, body: { invite: await createInvite(ctx.db, userId, conversationId, input) } };
});
