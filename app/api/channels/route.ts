import { authedRoute, parseQuery } from '@/lib/http/route';
import { channelsQuery } from '@/lib/protocol';
import { browseChannels } from '@/lib/chat/channels';

/** The channel browser: public channels by name or description, a page at a time. */
export const GET = authedRoute({ budget: 'browseChannels' }, async ({ req, ctx, userId }) => ({
  body: await browseChannels(ctx.db, userId, parseQuery(req, channelsQuery)),
}));
