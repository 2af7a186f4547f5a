import { authedRoute, parseInput, pathId, readJson } from '@/lib/http/route';
import { threadReadInput } from '@/lib/protocol';
import { markThreadRead } from '@/lib/chat/threads';

/** `{ messageId }`: my read cursor in this thread moves up to that reply (socket: markThreadRead). */
export const POST = authedRoute({ budget: 'receipt' }, async ({ req, ctx, userId, params }) => {
  const body = await readJson(req);
  const { rootId, messageId } = parseInput(threadReadInput, { ...(typeof body === 'object' ? body : {}), rootId: pathId(params, 'id') });
  return { body: await markThreadRead(ctx.db, userId, rootId, messageId) };
});
