import { randomUUID } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { conversationItem, createUser, messageWithText, openChat, uniqueUser, type ChatUser } from './helpers';

async function createChannel(request: APIRequestContext, owner: ChatUser, name: string, description: string) {
  const response = await request.post('/api/conversations', {
    headers: { authorization: `Bearer ${owner.api.token}` },
    data: { type: 'group', name, description, privacy: 'public', participantIds: [] },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { conversation: { id: string } }).conversation;
}

test('channels: browse public channels, search, join with the whole history; the join is a note for everyone', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const stem = `garden-${randomUUID().slice(0, 6)}`;
  const channel = await createChannel(request, alice, `${stem}-club`, 'Seeds, soil and sunshine');
  await alice.api.sendMessage(channel.id, 'Welcome, gardeners');
  // A private group by a similar name never shows up.
  await alice.api.createConversation({ type: 'group', name: `${stem}-secret`, participantIds: [bob.id] });

  const a = await openChat(browser, alice, `/c/${channel.id}`);
  const b = await openChat(browser, bob);
  await b.page.getByRole('button', { name: 'Browse channels' }).click();
  const dialog = b.page.getByRole('dialog', { name: 'Browse channels' });
  await dialog.getByRole('searchbox', { name: 'Search channels' }).fill(stem.toUpperCase());
  const listed = dialog.getByTestId('channel');
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText(`# ${stem}-club`);
  await expect(listed).toContainText('1 member · Seeds, soil and sunshine');

  await listed.getByRole('button', { name: `Join ${stem}-club` }).click();
  await expect(b.page.getByTestId('conversation-heading')).toHaveText(`${stem}-club`);
  await expect(b.page.getByTestId('conversation-subtitle')).toHaveText('Public channel · 2 members');
  // History from before joining, then the note of the join.
  await expect(messageWithText(b.page, 'Welcome, gardeners')).toBeVisible();
  await expect(b.page.getByTestId('timeline-note').last()).toContainText(`${bob.name} joined`);
  await expect(a.page.getByTestId('timeline-note').last()).toContainText(`${bob.name} joined`);
  // A note is not news: no unread badge for Alice.
  await expect(conversationItem(a.page, `${stem}-club`).getByTestId('unread-badge')).toHaveCount(0);

  for (const s of [a, b]) await s.context.close();
});

test('invite links: an admin makes one, a signed-in user joins by opening it, a signed-out one after signing up; revoked says so', async ({ browser, request }) => {
  // Four people in four browsers: more than the usual minute on a busy machine.
  test.slow();
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const carol = await createUser(request, 'carol');
  const dave = await createUser(request, 'dave');
  const name = `Book club ${randomUUID().slice(0, 6)}`;
  const group = await alice.api.createConversation({ type: 'group', name, participantIds: [carol.id] });
  await alice.api.sendMessage(group.id, 'Chapter one tonight');

  const a = await openChat(browser, alice, `/c/${group.id}`);
  await a.page.getByRole('button', { name: 'Conversation info' }).click();
  const info = a.page.getByRole('region', { name: 'Group info' });
  await info.getByLabel('Maximum uses').fill('5');
  await info.getByRole('button', { name: 'Create link' }).click();
  const link = info.getByTestId('invite-link').first();
  await expect(link).toContainText('Active · used 0 of 5 times');
  const url = new URL((await link.getByTestId('invite-url').textContent())!);
  expect(url.pathname).toMatch(/^\/join\/[A-Za-z0-9_-]{32}$/);

  // Bob is signed in: opening the link joins and opens the group.
  const b = await openChat(browser, bob);
  await b.page.goto(url.pathname);
  await expect(b.page).toHaveURL(new RegExp(`/c/${group.id}$`));
  await expect(b.page.getByTestId('conversation-heading')).toHaveText(name);
  await expect(messageWithText(b.page, 'Chapter one tonight')).toBeVisible();
  await expect(a.page.getByTestId('timeline-note').last()).toContainText(`${bob.name} joined with an invite link`);

  // Someone signed out signs up first, then lands in the group.
  const newcomer = uniqueUser('erin');
  const signedOut = await browser.newContext();
  const page = await signedOut.newPage();
  await page.goto(url.pathname);
  await expect(page).toHaveURL(/\/login\?next=%2Fjoin%2F/);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page).toHaveURL(/\/register\?next=%2Fjoin%2F/);
  await page.getByLabel('Name', { exact: true }).fill(newcomer.name);
  await page.getByLabel('Email', { exact: true }).fill(newcomer.email);
  await page.getByLabel('Username', { exact: true }).fill(newcomer.username);
  await page.getByLabel('Password', { exact: true }).fill(newcomer.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${group.id}$`));
  await expect(page.getByTestId('conversation-heading')).toHaveText(name);

  // Revoked: the link says so plainly, and joins no one.
  await a.page.reload();
  await a.page.getByRole('button', { name: 'Conversation info' }).click();
  await expect(info.getByTestId('invite-link').first()).toContainText('used 2 of 5 times');
  await info.getByTestId('invite-link').first().getByRole('button', { name: 'Revoke' }).click();
  await expect(info.getByTestId('invite-link').first()).toHaveAttribute('data-state', 'revoked');
  const d = await openChat(browser, dave);
  await d.page.goto(url.pathname);
  await expect(d.page.getByTestId('invite-error')).toContainText('This invite link was revoked.');
  await d.page.goto('/');
  await expect(conversationItem(d.page, name)).toHaveCount(0);

  for (const s of [a, b, d]) await s.context.close();
  await signedOut.close();
});

test('last seen: a contact who goes offline shows "last seen" in the header and the member list', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const direct = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const group = await alice.api.createConversation({ type: 'group', name: `Seen ${randomUUID().slice(0, 6)}`, participantIds: [bob.id] });

  const a = await openChat(browser, alice, `/c/${direct.id}`);
  const b = await openChat(browser, bob);
  await expect(a.page.getByTestId('conversation-subtitle')).toHaveText('Online');
  await b.context.close();
  await expect(a.page.getByTestId('conversation-subtitle')).toHaveText('last seen just now');

  // After a reload the stored time says the same.
  await a.page.goto(`/c/${group.id}`);
  await a.page.getByRole('button', { name: 'Conversation info' }).click();
  const member = a.page.getByRole('region', { name: 'Group info' }).getByTestId('member').filter({ hasText: bob.name });
  await expect(member.getByTestId('member-presence')).toHaveText(`@${bob.username} · last seen just now`);

  await a.context.close();
});

test('removal: confirmed, told by a note to everyone; the removed member reads up to then, sends nothing, and deletes it', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const carol = await createUser(request, 'carol');
  const name = `Trip ${randomUUID().slice(0, 6)}`;
  const group = await alice.api.createConversation({ type: 'group', name, participantIds: [carol.id] });
  await carol.api.sendMessage(group.id, 'Hi all');

  const a = await openChat(browser, alice, `/c/${group.id}`);
  const c = await openChat(browser, carol, `/c/${group.id}`);
  await a.page.getByRole('button', { name: 'Conversation info' }).click();
  const info = a.page.getByRole('region', { name: 'Group info' });
  await info.getByRole('button', { name: `Remove ${carol.name}` }).click();
  await a.page.getByRole('dialog', { name: `Remove ${carol.name}?` }).getByRole('button', { name: 'Remove' }).click();
  await expect(info.getByTestId('member')).toHaveCount(1);

  // Everyone sees the note, after the last message, Carol included.
  const removedNote = `${alice.name} removed ${carol.name}`;
  for (const page of [a.page, c.page]) await expect(page.getByTestId('timeline-note').last()).toContainText(removedNote);
  await expect(c.page.getByTestId('left-conversation')).toContainText(`You were removed by ${alice.name}`);
  await expect(c.page.getByRole('textbox', { name: /^Message/ })).toHaveCount(0);

  // Nothing said after reaches her, not even after a reload.
  await alice.api.sendMessage(group.id, 'After Carol left');
  await expect(messageWithText(a.page, 'After Carol left')).toBeVisible();
  await c.page.reload();
  await expect(messageWithText(c.page, 'Hi all')).toBeVisible();
  await expect(c.page.getByTestId('left-conversation')).toBeVisible();
  await expect(messageWithText(c.page, 'After Carol left')).toHaveCount(0);

  await c.page.getByRole('button', { name: 'Delete conversation' }).click();
  await expect(conversationItem(c.page, name)).toHaveCount(0);
  await c.page.reload();
  await expect(c.page.getByTestId('current-user')).toHaveText(carol.name);
  await expect(conversationItem(c.page, name)).toHaveCount(0);

  for (const s of [a, c]) await s.context.close();
});

test('receipts: "Read by 2 of 2" stays after both readers leave', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const carol = await createUser(request, 'carol');
  const group = await alice.api.createConversation({ type: 'group', name: `Three ${randomUUID().slice(0, 6)}`, participantIds: [bob.id, carol.id] });
  await alice.api.sendMessage(group.id, 'Standup in 5');

  const a = await openChat(browser, alice, `/c/${group.id}`);
  const status = messageWithText(a.page, 'Standup in 5').getByTestId('message-status');
  for (const [i, reader] of [bob, carol].entries()) {
    const r = await openChat(browser, reader, `/c/${group.id}`);
    await expect(status.getByTestId('read-by')).toHaveText(`Read by ${i + 1} of 2`);
    await r.context.close();
  }

  for (const reader of [bob, carol]) {
    const left = await request.delete(`/api/conversations/${group.id}/participants/${reader.id}`, { headers: { authorization: `Bearer ${reader.api.token}` } });
    expect(left.status()).toBe(204);
  }
  await expect(a.page.getByTestId('conversation-subtitle')).toHaveText('1 member');
  await expect(status.getByTestId('read-by')).toHaveText('Read by 2 of 2');
  await a.page.reload();
  await expect(status.getByTestId('read-by')).toHaveText('Read by 2 of 2');
  await expect(status).toHaveAttribute('data-status', 'read');

  await a.context.close();
});
