import { authedRoute } from '@/lib/http/route';
import { getUser } from '@/lib/chat/users';

export const GET = authedRoute({ budget: 'read' }, async ({ ctx, userId }) => ({ body: await getUser(ctx.db, userId, userId) }));
