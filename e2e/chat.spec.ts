import { expect, test } from './fixtures';
import type { WebSocketRoute } from '@playwright/test';
import { conversationItem, createUser, expectOnline, messageWithText, openChat, pickUser, sendFromComposer } from './helpers';

test('Alice starts a private chat; Bob sees it and the message arrive live, and Alice sees Bob typing until he stops', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const a = await openChat(browser, alice);
  const b = await openChat(browser, bob);

  // Alice finds Bob and opens a private chat with him.
  await a.page.getByRole('button', { name: 'New conversation' }).click();
  await pickUser(a.page, bob);
  await expect(a.page).toHaveURL(/\/c\/[0-9a-f-]{36}$/);
  await expect(a.page.getByTestId('conversation-heading')).toHaveText(bob.name);

  // Bob's sidebar shows the new chat, named after Alice, without a reload.
  const bobsItem = conversationItem(b.page, alice.name);
  await expect(bobsItem).toBeVisible();
  // Both were online before they became contacts: each sees the other online at once.
  await expect(bobsItem.getByTestId('presence-dot')).toHaveAttribute('data-online', 'true');
  await expect(conversationItem(a.page, bob.name).getByTestId('presence-dot')).toHaveAttribute('data-online', 'true');

  await sendFromComposer(a.page, 'Hi Bob! <b>not bold</b> https://example.com/x');
  await expect(bobsItem.getByTestId('conversation-preview')).toHaveText('Hi Bob! <b>not bold</b> https://example.com/x');
  await expect(bobsItem.getByTestId('unread-badge')).toHaveText('1');
  await expect(b.page).toHaveTitle('(1) Parley');
  // Screen readers hear it through the polite live region.
  await expect(b.page.getByTestId('live-announcer')).toHaveAttribute('aria-live', 'polite');
  await expect(b.page.getByTestId('live-announcer')).toHaveText(`New message from ${alice.name}: Hi Bob! <b>not bold</b> https://example.com/x`);

  await bobsItem.click();
  const received = messageWithText(b.page, 'Hi Bob! <b>not bold</b> https://example.com/x');
  await expect(received).toBeVisible();
  // Text stays text (no HTML), links are links.
  await expect(received.locator('b')).toHaveCount(0);
  await expect(received.getByRole('link', { name: 'https://example.com/x' })).toHaveAttribute('href', 'https://example.com/x');
  await expect(bobsItem.getByTestId('unread-badge')).toHaveCount(0);
  await expect(b.page).toHaveTitle('Parley');

  // Bob types: Alice sees it, and it clears on its own once Bob stops (no send).
  const composer = b.page.getByRole('textbox', { name: /^Message / });
  await composer.pressSequentially('Hey Al', { delay: 50 });
  await expect(a.page.getByTestId('typing-indicator')).toHaveText(`${bob.name} is typing…`);
  await expect(a.page.getByTestId('typing-indicator')).toHaveCount(0, { timeout: 8000 });

  // Shift+Enter is a new line; Enter sends.
  await composer.press('Shift+Enter');
  await composer.pressSequentially('second line');
  await composer.press('Enter');
  await expect(a.page.getByTestId('message-text').filter({ hasText: 'second line' })).toHaveText('Hey Al\nsecond line');

  await a.context.close();
  await b.context.close();
});

test('edits and deletions show up live on the other side; a reply shows its quote', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const a = await openChat(browser, alice, `/c/${chat.id}`);
  const b = await openChat(browser, bob, `/c/${chat.id}`);

  await sendFromComposer(a.page, 'Meet at 10?');
  await expect(messageWithText(b.page, 'Meet at 10?')).toBeVisible();
  // Bob can see it before Alice's ack lands; only a stored message (not one in the outbox) can be edited.
  await expect(messageWithText(a.page, 'Meet at 10?')).toHaveAttribute('data-status', /^(sent|delivered|read)$/);

  // Alice edits from the message menu.
  await messageWithText(a.page, 'Meet at 10?').hover();
  await messageWithText(a.page, 'Meet at 10?').getByRole('button', { name: 'Message actions' }).click();
  await a.page.getByRole('menuitem', { name: 'Edit' }).click();
  const composer = a.page.getByRole('textbox', { name: /^Message / });
  await expect(composer).toHaveValue('Meet at 10?');
  await composer.fill('Meet at 11?');
  await composer.press('Enter');
  const edited = messageWithText(b.page, 'Meet at 11?');
  await expect(edited).toBeVisible();
  await expect(edited.getByTestId('edited-marker')).toHaveText('edited');
  await expect(messageWithText(b.page, 'Meet at 10?')).toHaveCount(0);

  // Bob replies to it: both sides show the quote.
  await edited.hover();
  await edited.getByRole('button', { name: 'Message actions' }).click();
  await b.page.getByRole('menuitem', { name: 'Reply', exact: true }).click();
  await expect(b.page.getByTestId('composer-context')).toContainText(`Replying to ${alice.name}`);
  await sendFromComposer(b.page, 'Works for me');
  for (const page of [a.page, b.page]) {
    const reply = messageWithText(page, 'Works for me');
    await expect(reply.getByTestId('reply-quote')).toContainText(alice.name);
    await expect(reply.getByTestId('reply-quote')).toContainText('Meet at 11?');
  }

  // Alice deletes hers: a placeholder at Bob's, and the quote says so.
  const original = messageWithText(a.page, 'Meet at 11?');
  await original.hover();
  await original.getByRole('button', { name: 'Message actions' }).click();
  await a.page.getByRole('menuitem', { name: 'Delete' }).click();
  await a.page.getByRole('dialog', { name: 'Delete message?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(b.page.getByTestId('message-deleted')).toHaveText('This message was deleted');
  await expect(messageWithText(b.page, 'Meet at 11?')).toHaveCount(0);
  await expect(messageWithText(b.page, 'Works for me').getByTestId('reply-quote')).toContainText('Message deleted');
  await expect(a.page.getByTestId('message-deleted')).toBeVisible();

  await a.context.close();
  await b.context.close();
});

test("Bob's presence dot turns offline at Alice once all of Bob's pages are closed", async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });

  const b = await openChat(browser, bob);
  const secondTab = await b.context.newPage();
  await secondTab.goto('/');
  await expect(secondTab.getByTestId('chat-app')).toHaveAttribute('data-connection', 'online');

  const a = await openChat(browser, alice);
  const dot = conversationItem(a.page, bob.name).getByTestId('presence-dot');
  await expect(dot).toHaveAttribute('data-online', 'true');
  await expect(dot).toHaveAccessibleName('Online');

  // One tab closes: Bob is still online in the other (well past the 1 s grace period).
  await b.page.close();
  await a.page.waitForTimeout(2000);
  await expect(dot).toHaveAttribute('data-online', 'true');

  await secondTab.close();
  await expect(dot).toHaveAttribute('data-online', 'false');
  await expect(dot).toHaveAccessibleName('Offline');

  // And back.
  const again = await openChat(browser, bob);
  await expect(dot).toHaveAttribute('data-online', 'true');

  await a.context.close();
  await b.context.close();
  await again.context.close();
});

test('keyboard: arrow keys move through conversations, Enter opens one, Escape cancels a reply', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const carol = await createUser(request, 'carol');
  await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const withCarol = await alice.api.createConversation({ type: 'private', participantIds: [carol.id] });
  await carol.api.sendMessage(withCarol.id, 'Newest activity');
  const a = await openChat(browser, alice);

  // Newest activity first: Carol, then Bob.
  await expect(a.page.getByTestId('conversation-title')).toHaveText([carol.name, bob.name]);
  await conversationItem(a.page, carol.name).focus();
  await a.page.keyboard.press('ArrowDown');
  await expect(conversationItem(a.page, bob.name)).toBeFocused();
  await a.page.keyboard.press('Enter');
  await expect(a.page).toHaveURL(/\/c\//);
  await expect(a.page.getByTestId('conversation-heading')).toHaveText(bob.name);
  await expect(conversationItem(a.page, bob.name)).toHaveAttribute('aria-current', 'page');

  // Back and forward work with the History API navigation.
  await a.page.goBack();
  await expect(a.page.getByText('Select a conversation or start a new one.')).toBeVisible();
  await a.page.goForward();
  await expect(a.page.getByTestId('conversation-heading')).toHaveText(bob.name);

  await conversationItem(a.page, carol.name).click();
  const carols = messageWithText(a.page, 'Newest activity');
  await carols.getByRole('button', { name: 'Message actions' }).focus();
  await a.page.keyboard.press('Enter');
  await expect(a.page.getByRole('menuitem', { name: 'Reply', exact: true })).toBeFocused();
  await a.page.keyboard.press('Enter');
  const composer = a.page.getByRole('textbox', { name: /^Message / });
  await expect(composer).toBeFocused();
  await expect(a.page.getByTestId('composer-context')).toContainText(`Replying to ${carol.name}`);
  await a.page.keyboard.press('Escape');
  await expect(a.page.getByTestId('composer-context')).toHaveCount(0);

  await a.context.close();
});

test('an event of the wrong shape from the server is logged and dropped; the chat goes on', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const a = await openChat(browser, alice, `/c/${chat.id}`);
  const warnings: { text: string; issues: unknown }[] = [];
  const pageErrors: Error[] = [];
  a.page.on('pageerror', (error) => pageErrors.push(error));
  a.page.on('console', async (message) => {
    if (message.type() === 'warning') warnings.push({ text: message.text(), issues: await message.args()[1]?.jsonValue().catch(() => null) });
  });

  // The page's socket, relayed through the test both ways, so the test can add frames of its own
  // as if the server sent them. Reloading opens it anew through the relay.
  let upgraded!: (relay: WebSocketRoute) => void;
  const relayed = new Promise<WebSocketRoute>((resolve) => (upgraded = resolve));
  await a.page.routeWebSocket(/\/socket\.io\//, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((frame) => {
      server.send(frame);
      if (frame === '5') upgraded(ws); // Engine.IO "upgrade": the session now runs over this socket
    });
    server.onMessage((frame) => ws.send(frame));
  });
  await a.page.reload();
  await expectOnline(a.page);
  const relay = await relayed;

  // Socket.IO frames for /chat: a newMessage that is not a message, a receipt without its seq.
  const emit = (event: string, payload: unknown) => relay.send(`42/chat,${JSON.stringify([event, payload])}`);
  emit('newMessage', { message: { id: 'bogus', content: 'Not a real message' }, conversation: { id: chat.id } });
  emit('messageRead', { messageId: 'bogus', conversationId: chat.id, readBy: bob.id, readAt: new Date().toISOString() });
  const dropped = () => warnings.filter((w) => w.text.startsWith('chat: dropped'));
  await expect.poll(() => dropped().map((w) => w.text)).toEqual([
    expect.stringContaining('chat: dropped a malformed "newMessage" event'),
    expect.stringContaining('chat: dropped a malformed "messageRead" event'),
  ]);
  // With zod's account of what was wrong: here, the receipt's missing seq.
  await expect.poll(() => JSON.stringify(dropped()[1]!.issues)).toContain('"seq"');

  // Nothing of it shows, and the next real event is handled as ever.
  await bob.api.sendMessage(chat.id, 'Still here?');
  await expect(messageWithText(a.page, 'Still here?')).toBeVisible();
  await expect(messageWithText(a.page, 'Not a real message')).toHaveCount(0);
  await expect(a.page.getByTestId('chat-app')).toHaveAttribute('data-connection', 'online');
  expect(pageErrors).toEqual([]);

  await a.context.close();
});
