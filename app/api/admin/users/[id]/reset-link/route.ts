import { adminRoute } from '@/lib/http/admin-route';
import { pathId } from '@/lib/http/route';
import { createResetLinkAsAdmin } from '@/lib/accounts/password-reset';

// A one-time password reset link for the admin to pass on (no e-mail server needed).
export const POST = adminRoute(async ({ ctx, userId, params }) => ({
  status: 201,
  body: await createResetLinkAsAdmin(ctx.db, ctx.config, userId, pathId(params, 'id')),
}));
