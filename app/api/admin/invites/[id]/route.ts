import { adminRoute } from '@/lib/http/admin-route';
import { pathId } from '@/lib/http/route';
import { revokeServerInvite } from '@/lib/admin/invites';

export const DELETE = adminRoute(async ({ ctx, userId, params }) => {
  await revokeServerInvite(ctx.db, userId, pathId(params, 'id'));
  return new Response(null, { status: 204 });
});
