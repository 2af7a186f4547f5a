import { authedRoute, parseJson } from '@/lib/http/route';
import { createConversationInput } from '@/lib/protocol';
import { createConversation, listConversations } from '@/lib/chat/conversations';
import { findActiveUser } from '@/lib/chat/users';

/** The user's conversations; `?include=left` adds the read-only views of groups they were removed from. */
export const GET = authedRoute({ budget: 'read' }, async ({ req, ctx, userId }) => ({
  body: { conversations: await listConversations(ctx.db, userId, { includeLeft: req.nextUrl.searchParams.get('include') === 'left' }) },
}));

export const POST = authedRoute({ budget: 'createConversation' }, async ({ req, ctx, userId }) => {
  const input = await parseJson(req, createConversationInput);
  const { conversation, created } = await createConversation(ctx.db, userId, input);
  if (created) {
    const me = await findActiveUser(ctx.db, userId);
    await ctx.notifier.conversationCreated(conversation.id, { id: userId, username: me?.username ?? '' });
  }
  return { status: created ? 201 : 200, body: { conversation } };
});
