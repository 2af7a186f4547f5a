import { adminRoute } from '@/lib/http/admin-route';
import { parseJson } from '@/lib/http/route';
import { createInviteInput } from '@/lib/protocol';
import { createServerInvite, listServerInvites } from '@/lib/admin/invites';

export const GET = adminRoute(async ({ ctx }) => ({ body: { invites: await listServerInvites(ctx.db) } }));

// The link is in this answer only: the server keeps the code's hash.
export const POST = adminRoute(async ({ req, ctx, userId }) => ({
  status: 201,
  body: await createServerInvite(ctx.db, ctx.config, userId, await parseJson(req, createInviteInput)),
}));
