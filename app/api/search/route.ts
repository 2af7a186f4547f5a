import { authedRoute, parseQuery } from '@/lib/http/route';
import { globalSearchQuery } from '@/lib/protocol';
import { searchEverywhere } from '@/lib/chat/global-search';

/** Search everywhere I am a member: messages (keyset pages by `cursor`), people and channels. */
export const GET = authedRoute({ budget: 'search' }, async ({ req, ctx, userId }) => {
  const { q, cursor } = parseQuery(req, globalSearchQuery);
  return { body: await searchEverywhere(ctx.db, userId, q, cursor) };
});
