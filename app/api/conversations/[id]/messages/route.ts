import { authedRoute, parseInput, parseQuery, pathId, readJson } from '@/lib/http/route';
import { listMessagesQuery, sendMessageInput } from '@/lib/protocol';
import { listMessages, sendMessage } from '@/lib/chat/messages';

export const GET = authedRoute({ budget: 'read' }, async ({ req, ctx, userId, params }) => ({
  body: await listMessages(ctx.db, userId, pathId(params, 'id'), parseQuery(req, listMessagesQuery)),
}));

/** Sending over REST (bots, scripts): the same service and events as the socket's sendMessage. */
export const POST = authedRoute({ budget: 'send' }, async ({ req, ctx, userId, params }) => {
  const body = await readJson(req);
  const input = parseInput(sendMessageInput, { ...(typeof body === 'object' ? body : {}), conversationId: pathId(params, 'id') });
  const sent = await sendMessage(ctx.db, userId, input);
  if (sent.created) await ctx.notifier.messageCreated(sent.message, sent.conversation);
  if (sent.thread) await ctx.notifier.threadUpdated(input.conversationId, sent.message.threadRootId!, sent.thread);
  return { status: sent.created ? 201 : 200, body: { message: sent.message } };
});
