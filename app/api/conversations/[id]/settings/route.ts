import { authedRoute, parseJson, pathId } from '@/lib/http/route';
import { conversationSettingsInput } from '@/lib/protocol';
import { updateSettings } from '@/lib/chat/conversations';

export const PATCH = authedRoute({ budget: 'updateConversation' }, async ({ req, ctx, userId, params }) => {
  const settings = await parseJson(req, conversationSettingsInput);
  const conversation = await updateSettings(ctx.db, userId, pathId(params, 'id'), settings);
  // The user's other tabs (the one that shows their in-page notifications, say) follow at once.
  await ctx.notifier.mySettingsChanged(userId, conversation);
  return { body: { conversation } };
});
