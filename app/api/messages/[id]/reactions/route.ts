import { authedRoute, parseInput, parseQuery, pathId, readJson } from '@/lib/http/route';
import { reactionInput } from '@/lib/protocol';
import { addReaction, removeReaction } from '@/lib/chat/reactions';

/** Adds my reaction `{ emoji }`; the same as the socket's addReaction. */
export const POST = authedRoute({ budget: 'react' }, async ({ req, ctx, userId, params }) => {
  const body = await readJson(req);
  const { messageId, emoji } = parseInput(reactionInput, { ...(typeof body === 'object' ? body : {}), messageId: pathId(params, 'id') });
  const change = await addReaction(ctx.db, userId, messageId, emoji);
  await ctx.notifier.reactionChanged(change);
  return { body: { changed: change.changed } };
});

/** Removes my reaction `?emoji=`. */
export const DELETE = authedRoute({ budget: 'react' }, async ({ req, ctx, userId, params }) => {
  const { messageId, emoji } = parseInput(reactionInput, { ...parseQuery(req, reactionInput.pick({ emoji: true })), messageId: pathId(params, 'id') });
  const change = await removeReaction(ctx.db, userId, messageId, emoji);
  await ctx.notifier.reactionChanged(change);
  return { body: { changed: change.changed } };
});
