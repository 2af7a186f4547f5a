import { expect, test } from './fixtures';
import { createUser, messageWithText, openChat } from './helpers';

test('Bob replies in a thread: Alice sees the reply count, repliers and an unread marker live, reads it in the side panel, and the timeline stays uncrowded', async ({
  browser,
  request,
}) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'group', name: 'Launch', participantIds: [bob.id] });
  await alice.api.sendMessage(chat.id, 'Who writes the release notes?');
  const a = await openChat(browser, alice, `/c/${chat.id}`);
  const b = await openChat(browser, bob, `/c/${chat.id}`);

  const root = messageWithText(b.page, 'Who writes the release notes?');
  await root.hover();
  await root.getByRole('button', { name: 'Message actions' }).click();
  await b.page.getByRole('menuitem', { name: 'Reply in thread' }).click();
  const bobsPanel = b.page.getByTestId('thread-panel');
  await expect(bobsPanel.getByTestId('thread-root')).toContainText('Who writes the release notes?');
  const threadBox = bobsPanel.getByRole('textbox', { name: 'Reply in thread' });
  await threadBox.fill('I will, **today**');
  await threadBox.press('Enter');
  await expect(bobsPanel.getByTestId('thread-replies').getByTestId('message-text')).toHaveText('I will, today');
  await expect(bobsPanel.getByTestId('thread-replies').locator('strong')).toHaveText('today');

  // Alice: the count, Bob's avatar, the unread dot; the reply itself is not in her timeline.
  const summary = messageWithText(a.page, 'Who writes the release notes?').getByTestId('thread-summary');
  await expect(summary.getByTestId('thread-reply-count')).toHaveText('1 reply');
  await expect(summary).toHaveAttribute('data-unread', 'true');
  await expect(a.page.getByTestId('message-scroller').getByTestId('message-text').filter({ hasText: 'I will' })).toHaveCount(0);

  await summary.click();
  const alicesPanel = a.page.getByTestId('thread-panel');
  await expect(alicesPanel.getByTestId('thread-replies').getByTestId('message-text')).toHaveText('I will, today');
  await expect(summary).toHaveAttribute('data-unread', 'false');

  // Alice answers, also in the conversation: Bob's count goes to 2 live, and it shows in the timeline.
  await alicesPanel.getByLabel('Also send to the conversation').check();
  const aliceBox = alicesPanel.getByRole('textbox', { name: 'Reply in thread' });
  await aliceBox.fill('Thanks!');
  await aliceBox.press('Enter');
  await expect(messageWithText(b.page, 'Who writes the release notes?').getByTestId('thread-reply-count')).toHaveText('2 replies');
  await expect(bobsPanel.getByTestId('thread-replies').getByTestId('message-text')).toHaveText(['I will, today', 'Thanks!']);
  await expect(b.page.getByTestId('message-scroller').getByTestId('message-text').filter({ hasText: 'Thanks!' })).toHaveCount(1);

  await a.context.close();
  await b.context.close();
});
