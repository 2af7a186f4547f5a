import { authedRoute, parseQuery } from '@/lib/http/route';
import { userSearchQuery } from '@/lib/protocol';
import { searchUsers } from '@/lib/chat/users';

// The people search follows the server's directory visibility (everyone, or only people the
// viewer shares a conversation with).
export const GET = authedRoute({ budget: 'userLookup' }, async ({ req, ctx, userId }) => {
  const { q } = parseQuery(req, userSearchQuery);
  return { body: { users: await searchUsers(ctx.db, q, userId) } };
});
