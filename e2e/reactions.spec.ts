import { expect, test } from './fixtures';
import { conversationItem, createUser, messageWithText, openChat } from './helpers';

test('Bob reacts to Alice’s message and Alice sees it live, highlighted only where it is hers, with who reacted', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  await alice.api.sendMessage(chat.id, 'Lunch at noon?');
  const a = await openChat(browser, alice, `/c/${chat.id}`);
  const b = await openChat(browser, bob, `/c/${chat.id}`);

  const bobsView = messageWithText(b.page, 'Lunch at noon?');
  await bobsView.hover();
  await bobsView.getByRole('button', { name: 'Add reaction' }).click();
  await b.page.getByTestId('reaction-picker').getByRole('button', { name: 'React with 👍' }).click();

  // Live on Alice's side: the emoji, its count, not hers, and who reacted on hover (the title).
  const alicesReaction = messageWithText(a.page, 'Lunch at noon?').getByTestId('reaction');
  await expect(alicesReaction).toHaveAttribute('data-emoji', '👍');
  await expect(alicesReaction.getByTestId('reaction-count')).toHaveText('1');
  await expect(alicesReaction).toHaveAttribute('data-mine', 'false');
  await expect(alicesReaction).toHaveAttribute('title', `${bob.name} reacted with 👍`);
  await expect(bobsView.getByTestId('reaction')).toHaveAttribute('data-mine', 'true');

  // Alice adds hers by clicking the same emoji: two, and Bob sees it live.
  await alicesReaction.click();
  await expect(bobsView.getByTestId('reaction-count')).toHaveText('2');
  await expect(bobsView.getByTestId('reaction')).toHaveAttribute('title', `You, ${alice.name} reacted with 👍`);

  // The full picker (native emoji, no network) and its choice.
  await bobsView.hover();
  await bobsView.getByRole('button', { name: 'Add reaction' }).click();
  await b.page.getByTestId('reaction-picker').getByRole('button', { name: 'More…' }).click();
  const picker = b.page.getByTestId('reaction-picker');
  await picker.getByPlaceholder('Search').fill('rocket');
  await picker.locator('[data-epr-part="emoji"]').first().click();
  // The chosen emoji joins the message, for both.
  const picked = bobsView.getByTestId('reaction').nth(1);
  await expect(picked).toHaveAttribute('data-mine', 'true');
  const emoji = (await picked.getAttribute('data-emoji'))!;
  expect(emoji).not.toBe('👍');
  await expect(messageWithText(a.page, 'Lunch at noon?').locator(`[data-testid="reaction"][data-emoji="${emoji}"]`)).toBeVisible();
  // The picker remembers it: it leads the quick row next time.
  await bobsView.hover();
  await bobsView.getByRole('button', { name: 'Add reaction' }).click();
  await expect(b.page.getByTestId('quick-reaction').first()).toHaveText(emoji);
  await b.page.keyboard.press('Escape');

  // Bob takes his 👍 back: one left, Alice's, still highlighted for her.
  await bobsView.locator('[data-testid="reaction"][data-emoji="👍"]').click();
  const thumbs = messageWithText(a.page, 'Lunch at noon?').locator('[data-testid="reaction"][data-emoji="👍"]');
  await expect(thumbs.getByTestId('reaction-count')).toHaveText('1');
  await expect(thumbs).toHaveAttribute('data-mine', 'true');

  // Reactions never count as news: no unread badge for Alice.
  await expect(conversationItem(a.page, bob.name).getByTestId('unread-badge')).toHaveCount(0);

  await a.context.close();
  await b.context.close();
});
