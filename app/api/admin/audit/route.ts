import { adminRoute } from '@/lib/http/admin-route';
import { parseQuery } from '@/lib/http/route';
import { auditQuery } from '@/lib/protocol';
import { listAudit } from '@/lib/admin/audit';

export const GET = adminRoute(async ({ req, ctx }) => ({ body: await listAudit(ctx.db, parseQuery(req, auditQuery).before) }));
