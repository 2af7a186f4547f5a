import { expect, test } from './fixtures';
import { createUser, expectOnline, messageWithText, openChat, sendFromComposer, signInContext } from './helpers';

test('going offline and back loses no message sent meanwhile by either side', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const a = await openChat(browser, alice, `/c/${chat.id}`);
  const b = await openChat(browser, bob, `/c/${chat.id}`);

  await sendFromComposer(a.page, 'Before the tunnel');
  await expect(messageWithText(b.page, 'Before the tunnel')).toBeVisible();

  await a.context.setOffline(true);
  await expect(a.page.getByTestId('connection-banner')).toHaveAttribute('data-status', 'offline');
  // What Alice's page asks to catch up once back.
  const syncs: unknown[] = [];
  a.page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/sync') syncs.push(r.postDataJSON());
  });

  // Both write while Alice is away: hers waits as pending, Bob's goes to the server.
  await sendFromComposer(a.page, 'Typed in the tunnel');
  const pending = messageWithText(a.page, 'Typed in the tunnel');
  await expect(pending).toHaveAttribute('data-status', 'pending');
  await sendFromComposer(b.page, 'Bob while Alice is away 1');
  await sendFromComposer(b.page, 'Bob while Alice is away 2');
  await expect(messageWithText(a.page, 'Bob while Alice is away 1')).toHaveCount(0);
  await a.page.waitForTimeout(1000);
  await expect(pending).toHaveAttribute('data-status', 'pending');

  await a.context.setOffline(false);
  await expect(a.page.getByTestId('connection-banner')).toHaveCount(0);
  await expect(a.page.getByTestId('chat-app')).toHaveAttribute('data-connection', 'online');

  // Everything arrives, once each, on both sides.
  for (const page of [a.page, b.page]) {
    for (const text of ['Before the tunnel', 'Typed in the tunnel', 'Bob while Alice is away 1', 'Bob while Alice is away 2']) {
      await expect(messageWithText(page, text)).toHaveCount(1);
    }
  }
  // Bob's came in one catch-up request, from the newest seq Alice held ("Before the tunnel", 1).
  expect(syncs).toEqual([{ conversations: { [chat.id]: 1 } }]);
  await expect(messageWithText(a.page, 'Typed in the tunnel')).toHaveAttribute('data-status', /^(sent|delivered|read)$/);
  await expect(messageWithText(a.page, 'Typed in the tunnel')).toHaveAttribute('data-status', 'read');

  await a.context.close();
  await b.context.close();
});

test('a message written offline survives closing the tab: it is sent when the app is opened again', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const a = await openChat(browser, alice, `/c/${chat.id}`);
  const b = await openChat(browser, bob, `/c/${chat.id}`);

  await a.context.setOffline(true);
  await expect(a.page.getByTestId('connection-banner')).toHaveAttribute('data-status', 'offline');
  await sendFromComposer(a.page, 'Written on the train');
  await expect(messageWithText(a.page, 'Written on the train')).toHaveAttribute('data-status', 'pending');
  await a.page.close();
  await a.context.setOffline(false);

  const again = await a.context.newPage();
  await again.goto(`/c/${chat.id}`);
  await expect(messageWithText(b.page, 'Written on the train')).toHaveCount(1);
  await expect(messageWithText(again, 'Written on the train')).toHaveCount(1);
  await expect(messageWithText(again, 'Written on the train')).toHaveAttribute('data-status', 'read');

  await a.context.close();
  await b.context.close();
});

test('signing out forgets the messages still waiting to be sent, saved copies included', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const a = await openChat(browser, alice, `/c/${chat.id}`);
  const savedOutbox = () => a.page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('parley:outbox:')));

  // The network is back for pages, but not for the chat socket: the message cannot go.
  await a.context.setOffline(true);
  await expect(a.page.getByTestId('connection-banner')).toHaveAttribute('data-status', 'offline');
  await sendFromComposer(a.page, 'Written, never sent');
  await expect(messageWithText(a.page, 'Written, never sent')).toHaveAttribute('data-status', 'pending');
  expect(await savedOutbox()).toHaveLength(1);
  await a.context.route(/\/socket\.io\//, (route) => route.abort());
  await a.context.routeWebSocket(/\/socket\.io\//, (ws) => ws.close());
  await a.context.setOffline(false);
  await expect(messageWithText(a.page, 'Written, never sent')).toHaveAttribute('data-status', 'pending');

  await a.page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(a.page).toHaveURL(/\/login/);
  expect(await savedOutbox()).toEqual([]);

  // Alice again, socket allowed: nothing of it comes back, nor reaches Bob (her next message,
  // sent after anything queued before it, arrives alone).
  await a.context.unrouteAll();
  await signInContext(a.context, alice);
  await a.page.goto(`/c/${chat.id}`);
  await expectOnline(a.page);
  await sendFromComposer(a.page, 'Signed in again');
  const b = await openChat(browser, bob, `/c/${chat.id}`);
  await expect(messageWithText(b.page, 'Signed in again')).toHaveCount(1);
  await expect(messageWithText(b.page, 'Written, never sent')).toHaveCount(0);
  await expect(messageWithText(a.page, 'Written, never sent')).toHaveCount(0);

  await a.context.close();
  await b.context.close();
});
