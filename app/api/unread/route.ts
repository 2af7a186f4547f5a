import { authedRoute } from '@/lib/http/route';
import { unreadSummary } from '@/lib/chat/receipts';

export const GET = authedRoute({ budget: 'read' }, async ({ ctx, userId }) => ({ body: await unreadSummary(ctx.db, userId) }));
