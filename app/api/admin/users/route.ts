import { adminRoute } from '@/lib/http/admin-route';
import { parseQuery } from '@/lib/http/route';
import { adminUserQuery } from '@/lib/protocol';
import { listUsersForAdmin } from '@/lib/admin/users';

export const GET = adminRoute(async ({ req, ctx }) => ({ body: await listUsersForAdmin(ctx.db, ctx.config, parseQuery(req, adminUserQuery)) }));
