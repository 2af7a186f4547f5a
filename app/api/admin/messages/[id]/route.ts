import { adminRoute } from '@/lib/http/admin-route';
import { pathId } from '@/lib/http/route';
import { removeMessageAsAdmin } from '@/lib/admin/moderation';

// Moderation: an admin removes anyone's message; members see "removed by an admin".
export const DELETE = adminRoute(async ({ ctx, userId, params }) => {
  const removed = await removeMessageAsAdmin(ctx.db, ctx.storage, userId, pathId(params, 'id'));
  if (removed.removed) {
    await ctx.notifier.messageDeleted(removed.messageId, removed.conversationId, { removedByAdmin: true });
    if (removed.thread) await ctx.notifier.threadUpdated(removed.conversationId, removed.thread.rootId, removed.thread.summary);
  }
  return { body: { messageId: removed.messageId } };
});
