import { authedRoute, parseInput, pathId, readJson } from '@/lib/http/route';
import { editMessageInput } from '@/lib/protocol';
import { deleteMessage, editMessage } from '@/lib/chat/messages';

export const PATCH = authedRoute({ budget: 'edit' }, async ({ req, ctx, userId, params }) => {
  const body = await readJson(req);
  const { messageId, content } = parseInput(editMessageInput, { ...(typeof body === 'object' ? body : {}), messageId: pathId(params, 'id') });
  const message = await editMessage(ctx.db, userId, messageId, content);
  await ctx.notifier.messageEdited(message);
  return { body: { message } };
});

export const DELETE = authedRoute({ budget: 'delete' }, async ({ ctx, userId, params }) => {
  const deleted = await deleteMessage(ctx.db, ctx.storage, userId, pathId(params, 'id'));
  await ctx.notifier.messageDeleted(deleted.messageId, deleted.conversationId);
  if (deleted.thread) await ctx.notifier.threadUpdated(deleted.conversationId, deleted.thread.rootId, deleted.thread.summary);
  return { body: { messageId: deleted.messageId, conversationId: deleted.conversationId } };
});
