import { adminRoute } from '@/lib/http/admin-route';
import { parseJson, pathId } from '@/lib/http/route';
import { adminUpdateUserInput } from '@/lib/protocol';
import { updateUserAsAdmin } from '@/lib/admin/users';

// Deactivating ends every session and token of the account and disconnects its sockets at once,
// on every node (through the Socket.IO adapter).
export const PATCH = adminRoute(async ({ req, ctx, userId, params }) => {
  const targetId = pathId(params, 'id');
  const change = await parseJson(req, adminUpdateUserInput);
  const { user, deactivated } = await updateUserAsAdmin(ctx.db, ctx.config, userId, targetId, change);
  if (deactivated) await ctx.notifier.signedOut(targetId);
  return { body: { user } };
});
