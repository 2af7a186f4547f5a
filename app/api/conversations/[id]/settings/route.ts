import { authedRoute, parseJson, pathId } from '@/lib/http/route';
import { conversationSettingsInput } from '@/lib/protocol';
import { updateSettings } from '@/lib/chat/conversations';

export const PATCH = authedRoute({ budget: 'updateConversation' }, async ({ req, ctx, userId, params }) => {
  const settings = await parseJson(req, conversationSettingsInput);
  return { body: { conversation: await updateSettings(ctx.db, userId, pathId(params, 'id'), settings) } };
});
