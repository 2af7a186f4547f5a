import { expect, test } from './fixtures';
import { createUser, openChat, sendWithinBudget } from './helpers';

test('search everywhere finds a message in another conversation and jumps to it, far back in its history', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const carol = await createUser(request, 'carol');
  const withBob = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const team = await alice.api.createConversation({ type: 'group', name: 'Platypus team', participantIds: [carol.id] });
  const word = `kumquat${Date.now().toString(36)}`;
  const target = await carol.api.sendMessage(team.id, `The ${word} budget is approved`);
  // Far back: more than two pages of history come after it.
  for (let i = 0; i < 130; i += 1) await sendWithinBudget(request, alice, team.id, `later ${i}`);
  await bob.api.sendMessage(withBob.id, 'hello Alice');

  const a = await openChat(browser, alice, `/c/${withBob.id}`);
  await a.page.getByRole('button', { name: 'Search everywhere' }).click();
  await a.page.getByRole('searchbox', { name: 'Search messages, people and channels' }).fill(word.slice(0, 9));
  const result = a.page.getByTestId('global-message');
  await expect(result).toHaveCount(1);
  await expect(result.getByTestId('global-message-conversation')).toHaveText('Platypus team');
  await result.click();

  await expect(a.page).toHaveURL(new RegExp(`/c/${team.id}$`));
  await expect(a.page.getByTestId('conversation-heading')).toHaveText('Platypus team');
  const jumped = a.page.locator(`[data-message-id="${target.id}"]`);
  await expect(jumped).toBeInViewport();
  await expect(jumped).toBeFocused();
  // The history between it and the newest page is all there, in order (one unbroken range).
  const seqs = (await a.page.getByTestId('message').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-seq'))))).filter(Boolean);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
  expect(seqs).toContain(target.seq);

  // People and channels too; nothing of a conversation Alice is not in.
  await a.page.getByRole('button', { name: 'Search everywhere' }).click();
  await a.page.getByRole('searchbox', { name: 'Search messages, people and channels' }).fill('Platypus');
  await expect(a.page.getByTestId('global-channel')).toHaveText(/Platypus team/);
  await a.page.getByRole('searchbox', { name: 'Search messages, people and channels' }).fill(carol.username);
  await expect(a.page.getByTestId('global-person')).toContainText(carol.name);
  await a.context.close();
});

test('a search result that is a reply in a thread opens its conversation with the thread beside it, at that reply', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const team = await alice.api.createConversation({ type: 'group', name: 'Threaded team', participantIds: [bob.id] });
  const other = await alice.api.createConversation({ type: 'group', name: 'Elsewhere', participantIds: [bob.id] });
  const root = await alice.api.sendMessage(team.id, 'Where do we meet?');
  const word = `quince${Date.now().toString(36)}`;
  const response = await request.post(`/api/conversations/${team.id}/messages`, {
    headers: { authorization: `Bearer ${bob.api.token}` },
    data: { content: `At the ${word} cafe`, threadRootId: root.id },
  });
  expect(response.status()).toBe(201);

  const a = await openChat(browser, alice, `/c/${other.id}`);
  await a.page.keyboard.press('Control+k');
  await a.page.getByRole('searchbox', { name: 'Search messages, people and channels' }).fill(word);
  await expect(a.page.getByTestId('global-message')).toContainText('in a thread');
  await a.page.getByTestId('global-message').click();

  await expect(a.page).toHaveURL(new RegExp(`/c/${team.id}$`));
  const panel = a.page.getByTestId('thread-panel');
  await expect(panel).toHaveAttribute('data-root-id', root.id);
  await expect(panel.getByTestId('thread-replies').getByTestId('message-text')).toHaveText(`At the ${word} cafe`);
  await expect(a.page.getByTestId('message-scroller').locator(`[data-message-id="${root.id}"]`)).toBeInViewport();
  await a.context.close();
});
