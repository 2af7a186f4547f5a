import { expect, test } from './fixtures';
import { conversationItem, createUser, messageWithText, openChat, sendFromComposer } from './helpers';

test('my message goes ✓ sent → ✓✓ delivered (Bob comes online) → read (Bob opens the chat)', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });

  const a = await openChat(browser, alice, `/c/${chat.id}`);
  await sendFromComposer(a.page, 'Are you there?');
  const mine = messageWithText(a.page, 'Are you there?');
  const status = mine.getByTestId('message-status');
  // Bob has no page open: on the server, not on his device.
  await expect(status).toHaveAttribute('data-status', 'sent');
  await expect(status).toContainText('Sent');

  // Bob opens the app (not the chat): the message reaches his device.
  const b = await openChat(browser, bob);
  await expect(status).toHaveAttribute('data-status', 'delivered');
  await expect(status).toContainText('Delivered');
  await expect(conversationItem(b.page, alice.name).getByTestId('unread-badge')).toHaveText('1');

  // Bob opens the chat and sees the message: read.
  await conversationItem(b.page, alice.name).click();
  await expect(messageWithText(b.page, 'Are you there?')).toBeVisible();
  await expect(status).toHaveAttribute('data-status', 'read');
  await expect(status).toContainText('Read');

  await a.context.close();
  await b.context.close();
});

test('in a group of three: "Read by 1 of 2", then "Read by 2 of 2", naming the readers', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const carol = await createUser(request, 'carol');
  const group = await alice.api.createConversation({ type: 'group', name: 'Three of us', participantIds: [bob.id, carol.id] });

  const a = await openChat(browser, alice, `/c/${group.id}`);
  await sendFromComposer(a.page, 'Standup in 5');
  const status = messageWithText(a.page, 'Standup in 5').getByTestId('message-status');
  await expect(status).toHaveAttribute('data-status', 'sent');
  await expect(status.getByTestId('read-by')).toHaveCount(0);

  const b = await openChat(browser, bob, `/c/${group.id}`);
  await expect(messageWithText(b.page, 'Standup in 5')).toBeVisible();
  await expect(status.getByTestId('read-by')).toHaveText('Read by 1 of 2');
  await expect(status).toHaveAttribute('title', `Read by ${bob.name}`);
  await expect(status).not.toHaveAttribute('data-status', 'read');

  const c = await openChat(browser, carol, `/c/${group.id}`);
  await expect(messageWithText(c.page, 'Standup in 5')).toBeVisible();
  await expect(status.getByTestId('read-by')).toHaveText('Read by 2 of 2');
  await expect(status).toHaveAttribute('data-status', 'read');
  await expect(status).toHaveAttribute('title', /Read by .+, .+/);

  for (const s of [a, b, c]) await s.context.close();
});

test('a message is not read while the reader is looking at another conversation', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const carol = await createUser(request, 'carol');
  const withBob = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const bobWithCarol = await bob.api.createConversation({ type: 'private', participantIds: [carol.id] });

  const b = await openChat(browser, bob, `/c/${bobWithCarol.id}`);
  const a = await openChat(browser, alice, `/c/${withBob.id}`);
  await sendFromComposer(a.page, 'Ping while you are busy');
  const status = messageWithText(a.page, 'Ping while you are busy').getByTestId('message-status');
  // Bob's app has it (delivered) but he is in another chat: not read.
  await expect(status).toHaveAttribute('data-status', 'delivered');
  await expect(conversationItem(b.page, alice.name).getByTestId('unread-badge')).toHaveText('1');
  await b.page.waitForTimeout(500);
  await expect(status).toHaveAttribute('data-status', 'delivered');

  await conversationItem(b.page, alice.name).click();
  await expect(status).toHaveAttribute('data-status', 'read');
  await expect(conversationItem(b.page, alice.name).getByTestId('unread-badge')).toHaveCount(0);

  await a.context.close();
  await b.context.close();
});
