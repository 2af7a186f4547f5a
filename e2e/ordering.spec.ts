import { expect, test } from './fixtures';
import type { MessageDto } from '../lib/protocol';
import { createUser, expectOnline, messages, openChat, sendFromComposer } from './helpers';

const COUNT = 20;

test(`${COUNT} messages typed offline are sent in the typed order: both people see that order, before and after a reload`, async ({ browser, request }) => {
  // Two browsers, 20 messages each way and two reloads: about 45 s alone on a busy machine.
  test.slow();
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const a = await openChat(browser, alice, `/c/${chat.id}`);
  const b = await openChat(browser, bob, `/c/${chat.id}`);
  const typed = Array.from({ length: COUNT }, (_, i) => `In the tunnel ${i + 1}`);

  await a.context.setOffline(true);
  await expect(a.page.getByTestId('connection-banner')).toHaveAttribute('data-status', 'offline');
  for (const text of typed) await sendFromComposer(a.page, text);
  // All waiting, drawn in the order typed.
  await expect(a.page.locator('[data-testid="message"][data-status="pending"]')).toHaveCount(COUNT);
  await expect(a.page.getByTestId('message-text')).toHaveText(typed);

  await a.context.setOffline(false);
  await expectOnline(a.page);

  // Bob sees them live, in the typed order, once each; Alice's turn from pending to sent in place.
  await expect(b.page.getByTestId('message-text')).toHaveText(typed);
  await expect(a.page.locator('[data-testid="message"][data-status="pending"]')).toHaveCount(0);
  await expect(a.page.getByTestId('message-text')).toHaveText(typed);

  // The server stored them in that order: history (what a reload shows) agrees, for both.
  const history = await request.get(`/api/conversations/${chat.id}/messages?limit=100`, { headers: { authorization: `Bearer ${bob.api.token}` } });
  const stored = ((await history.json()) as { messages: MessageDto[] }).messages;
  expect(stored.map((m) => m.content)).toEqual(typed);
  expect(stored.map((m) => m.seq)).toEqual([...stored.map((m) => m.seq)].sort((x, y) => x - y));

  for (const page of [b.page, a.page]) {
    await page.reload();
    await expectOnline(page);
    await expect(messages(page)).toHaveCount(COUNT);
    await expect(page.getByTestId('message-text')).toHaveText(typed);
  }

  await a.context.close();
  await b.context.close();
});
