import { authedRoute, parseQuery, pathId } from '@/lib/http/route';
import { threadPageQuery } from '@/lib/protocol';
import { threadPage } from '@/lib/chat/threads';

/** The thread of a top-level message: the message and a page of replies (ThreadPage). */
export const GET = authedRoute({ budget: 'read' }, async ({ req, ctx, userId, params }) => ({
  body: await threadPage(ctx.db, userId, pathId(params, 'id'), parseQuery(req, threadPageQuery)),
}));
