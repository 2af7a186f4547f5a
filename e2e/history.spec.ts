import { expect, test } from './fixtures';
import { createUser, messages, messageWithText, openChat, sendWithinBudget } from './helpers';

const COUNT = 200;

test(`history of ${COUNT} messages scrolls back to the first one; search jumps to an old message`, async ({ browser, request }) => {
  // 200 sends through the API (paced by the per-user send budget) and two browsers: about a
  // minute alone, more beside another worker.
  test.slow();
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const ids: string[] = [];
  for (let i = 1; i <= COUNT; i += 1) {
    const sender = i % 3 === 0 ? bob : alice;
    ids.push((await sendWithinBudget(request, sender, chat.id, i === 7 ? `History ${i} haystack needle` : `History ${i}`)).id);
  }

  const a = await openChat(browser, alice, `/c/${chat.id}`);
  await expect(messageWithText(a.page, `History ${COUNT}`)).toBeInViewport();
  // Only the newest page is loaded at first.
  expect(await messages(a.page).count()).toBeLessThan(COUNT);

  // Search finds the old message; choosing it loads pages until it is there, then shows it.
  await a.page.getByRole('button', { name: 'Search messages' }).click();
  await a.page.getByRole('searchbox', { name: 'Search this conversation' }).fill('needle');
  await expect(a.page.getByTestId('search-result')).toHaveCount(1);
  await a.page.getByTestId('search-result').click();
  const found = messageWithText(a.page, 'History 7 haystack needle');
  await expect(found).toBeInViewport();
  await expect(found).toHaveAttribute('data-flashes', '1');
  await a.page.getByRole('button', { name: 'Close search messages' }).click();

  // Back to the newest, then scroll up through every page to the first message.
  await a.page.getByTestId('jump-to-latest').click();
  await expect(messageWithText(a.page, `History ${COUNT}`)).toBeInViewport();
  await a.context.close();

  const b = await openChat(browser, bob, `/c/${chat.id}`);
  await expect(messageWithText(b.page, `History ${COUNT}`)).toBeInViewport();
  const scroller = b.page.getByTestId('message-scroller');
  // Keep scrolling to the top, as a reader would, until the first message shows.
  await expect(async () => {
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect(messageWithText(b.page, 'History 1')).toBeInViewport({ timeout: 500 });
  }).toPass({ timeout: 20_000 });
  await expect(b.page.getByTestId('history-start')).toBeInViewport();
  await expect(messages(b.page)).toHaveCount(COUNT);
  // In order, each once.
  const texts = await b.page.getByTestId('message-text').allTextContents();
  expect(texts).toEqual(Array.from({ length: COUNT }, (_, i) => (i + 1 === 7 ? 'History 7 haystack needle' : `History ${i + 1}`)));

  // Scrolled up, a new message does not pull the view down: a button offers it instead.
  await alice.api.sendMessage(chat.id, 'Fresh one, about message 2', { replyTo: ids[1] });
  await expect(b.page.getByTestId('jump-to-latest')).toHaveText('1 new message');
  await expect(messageWithText(b.page, 'History 1')).toBeInViewport();
  await b.page.getByTestId('jump-to-latest').click();
  const fresh = messageWithText(b.page, 'Fresh one, about message 2');
  await expect(fresh).toBeInViewport();
  await expect(b.page.getByTestId('jump-to-latest')).toHaveCount(0);

  // Its quote leads back to the original.
  await fresh.getByTestId('reply-quote').click();
  await expect(messageWithText(b.page, 'History 2')).toBeInViewport();
  const original = messageWithText(b.page, 'History 2');
  // The flash plays once and ends; following the same quote again plays it again. (The row
  // counts the flash animations that started and says whether one runs: state to wait on, not
  // a race against the animation's 2.5 s.)
  await expect(original).toHaveAttribute('data-flashes', '1');
  await expect(original).toHaveAttribute('data-flashing', 'false');
  await b.page.getByTestId('jump-to-latest').click();
  await expect(fresh).toBeInViewport();
  await fresh.getByTestId('reply-quote').click();
  await expect(original).toBeInViewport();
  await expect(original).toHaveAttribute('data-flashes', '2');
  await b.context.close();
});

test('opening a conversation shows where I left off: an "Unread messages" line at the first unread one', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  for (let i = 1; i <= 5; i += 1) await alice.api.sendMessage(chat.id, `Seen ${i}`);

  // Bob reads those, then leaves.
  const first = await openChat(browser, bob, `/c/${chat.id}`);
  await expect(messageWithText(first.page, 'Seen 5')).toBeVisible();
  await expect(first.page.getByTestId('unread-divider')).toBeInViewport();
  await first.context.close();
  await expect.poll(async () => (await (await request.get(`/api/conversations/${chat.id}`, { headers: { authorization: `Bearer ${bob.api.token}` } })).json()).conversation.unreadCount).toBe(0);

  for (let i = 1; i <= 30; i += 1) await alice.api.sendMessage(chat.id, `Unseen ${i}`);

  const b = await openChat(browser, bob, `/c/${chat.id}`);
  const divider = b.page.getByTestId('unread-divider');
  await expect(divider).toBeInViewport();
  await expect(messageWithText(b.page, 'Unseen 1')).toBeInViewport();
  await expect(messageWithText(b.page, 'Unseen 30')).not.toBeInViewport();
  // The divider sits right before the first unread message.
  await expect(b.page.locator('[data-testid="unread-divider"] + li')).toContainText('Unseen 1');
  await expect(b.page.getByTestId('jump-to-latest')).toBeVisible();
  await b.context.close();
});
