// @mentions in Chromium: the composer's picker (typing `@`, arrows, Enter/Tab, Escape), @here and
// @all offered to a group's admins only, the ids the server stored, the highlight (mine stands
// out), the "@" badge kept live in the sidebar and cleared by reading, a member's @all refused,
// and a desktop notification that says who mentioned you.
import type { Page } from '@playwright/test';
import type { MessageDto } from '../lib/protocol';
import { expect, test } from './fixtures';
import { conversationItem, createUser, expectOnline, messageWithText, openChat } from './helpers';
import { hide, notificationsOf, openTabs } from './notification-probe';

const composerOf = (page: Page) => page.getByRole('textbox', { name: /^Message / });

test('mentions: picker by keyboard, stored ids, highlight, the "@" badge, and a notification naming the mention', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const carol = await createUser(request, 'carol');
  const group = await alice.api.createConversation({ type: 'group', name: 'Launch', participantIds: [bob.id, carol.id] });

  const a = await openChat(browser, alice, `/c/${group.id}`);
  // Carol is elsewhere: the list is open, the page hidden (the probe records her notifications).
  const c = await openTabs(browser, carol, { options: { permissions: ['notifications'] } });
  const carolPage = c.pages[0]!;
  await hide(carolPage);

  const composer = composerOf(a.page);
  await composer.pressSequentially('Hi @');
  const picker = a.page.getByTestId('mention-picker');
  const options = picker.getByTestId('mention-option');
  // Members other than me, then @here and @all (I created the group: I am its admin).
  await expect(options).toHaveCount(4);
  await expect(options.nth(2)).toContainText('@here');
  await expect(options.nth(3)).toContainText('@all');
  await composer.pressSequentially('car');
  await expect(options).toHaveCount(1);
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await composer.press('Enter');
  await expect(picker).toBeHidden();
  await expect(composer).toHaveValue(`Hi @${carol.username} `);

  await composer.pressSequentially('and @');
  await expect(options).toHaveCount(4);
  // Members come by name (Bob before Carol); the arrows wrap around.
  await expect(options.first()).toContainText(`@${bob.username}`);
  await composer.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await composer.press('ArrowUp');
  await composer.press('ArrowUp');
  await expect(options.nth(3)).toHaveAttribute('aria-selected', 'true');
  await composer.press('ArrowDown');
  await expect(options.first()).toHaveAttribute('aria-selected', 'true');
  await composer.press('Tab');
  await expect(composer).toHaveValue(`Hi @${carol.username} and @${bob.username} `);
  // Escape closes the picker and keeps the text.
  await composer.pressSequentially('@');
  await expect(picker).toBeVisible();
  await composer.press('Escape');
  await expect(picker).toBeHidden();
  await composer.press('Backspace');
  await composer.pressSequentially('see the plan');
  const text = `Hi @${carol.username} and @${bob.username} see the plan`;
  await expect(composer).toHaveValue(text);
  await composer.press('Enter');
  await expect(composer).toHaveValue('');

  // Stored with both ids.
  const history = await request.get(`/api/conversations/${group.id}/messages`, { headers: { authorization: `Bearer ${bob.api.token}` } });
  const [stored] = ((await history.json()) as { messages: MessageDto[] }).messages.filter((m) => m.content === text);
  expect(new Set(stored!.mentionedUserIds)).toEqual(new Set([bob.id, carol.id]));
  expect(stored!.mentionsEveryone).toBeNull();

  // Highlighted for Alice (neither is her).
  const sent = messageWithText(a.page, text);
  await expect(sent.getByTestId('mention')).toHaveCount(2);
  await expect(sent.locator('[data-mention-me]')).toHaveCount(0);

  // Carol: a separate "@" badge, and a notification that says she was mentioned.
  const carolsItem = conversationItem(carolPage, 'Launch');
  await expect(carolsItem.getByTestId('mention-badge')).toHaveAttribute('aria-label', '1 unread mention');
  await expect(carolsItem.getByTestId('unread-badge')).toHaveText('1');
  expect((await notificationsOf(carolPage)).map((n) => [n.title, n.body])).toEqual([[`${alice.name} mentioned you in Launch`, text]]);
  // A message that does not mention her counts as unread, not as a mention.
  await alice.api.sendMessage(group.id, 'no mention here');
  await expect(carolsItem.getByTestId('unread-badge')).toHaveText('2');
  await expect(carolsItem.getByTestId('mention-badge')).toHaveAttribute('aria-label', '1 unread mention');

  // Opening it: her own mention stands out; reading clears both badges.
  await hide(carolPage, false);
  await carolsItem.click();
  const received = messageWithText(carolPage, text);
  await expect(received.locator('[data-mention-me="true"]')).toHaveText(`@${carol.username}`);
  await expect(received).toHaveAttribute('data-mentions-me', 'true');
  await expect(received.getByTestId('mention')).toHaveCount(2);
  await expect(carolsItem.getByTestId('mention-badge')).toBeHidden();
  await expect(carolsItem.getByTestId('unread-badge')).toBeHidden();

  await a.context.close();
  await c.context.close();
});

test('mentions: @here/@all are offered to admins only; a member who types @all is refused with the reason', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const group = await alice.api.createConversation({ type: 'group', name: 'Ops', participantIds: [bob.id] });
  const b = await openChat(browser, bob, `/c/${group.id}`);
  const composer = composerOf(b.page);
  await composer.pressSequentially('@');
  const options = b.page.getByTestId('mention-picker').getByTestId('mention-option');
  await expect(options).toHaveCount(1);
  await expect(options.first()).toContainText(alice.username);
  await composer.press('Escape');
  await composer.pressSequentially('all hands?');
  await composer.press('Enter');
  const failed = b.page.getByTestId('message').filter({ hasText: '@all hands?' });
  await expect(failed).toHaveAttribute('data-status', 'failed');
  await expect(failed.getByRole('alert')).toContainText('Only group admins can mention @here or @all.');

  // Alice, the admin, may: her @all reaches Bob as a mention.
  await alice.api.sendMessage(group.id, '@all standup in 5');
  const announcement = messageWithText(b.page, '@all standup in 5');
  await expect(announcement.locator('[data-mention-me="true"]')).toHaveText('@all');
  await b.context.close();
});

test('at the "mentions" level (a conversation’s own, or my default) only mentions notify', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const crew = await bob.api.createConversation({ type: 'group', name: 'Crew', participantIds: [alice.id] });
  const lounge = await bob.api.createConversation({ type: 'group', name: 'Lounge', participantIds: [alice.id] });
  const asAlice = { authorization: `Bearer ${alice.api.token}` };
  // Crew at "mentions" by its own setting; Lounge follows Alice's default, which she sets to "mentions".
  const own = await request.patch(`/api/conversations/${crew.id}/settings`, { headers: asAlice, data: { notificationLevel: 'mentions' } });
  expect(own.ok(), await own.text()).toBeTruthy();
  const byDefault = await request.patch('/api/me/notifications', { headers: asAlice, data: { notificationLevel: 'mentions' } });
  expect(byDefault.ok(), await byDefault.text()).toBeTruthy();

  const { context, pages } = await openTabs(browser, alice, { options: { permissions: ['notifications'] } });
  const page = pages[0]!;
  // The page has my settings (the default level) before anything arrives.
  const settingsLoaded = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/me/notifications' && response.ok());
  await page.reload();
  await settingsLoaded;
  await expectOnline(page);
  await hide(page);
  await bob.api.sendMessage(crew.id, 'plain in crew');
  await bob.api.sendMessage(lounge.id, 'plain in lounge');
  await bob.api.sendMessage(crew.id, `@${alice.username} in crew`);
  await bob.api.sendMessage(lounge.id, '@all in lounge');
  await expect(conversationItem(page, 'Crew').getByTestId('unread-badge')).toHaveText('2');
  await expect(conversationItem(page, 'Lounge').getByTestId('unread-badge')).toHaveText('2');
  expect((await notificationsOf(page)).map((n) => [n.title, n.body])).toEqual([
    [`${bob.name} mentioned you in Crew`, `@${alice.username} in crew`],
    [`${bob.name} mentioned you in Lounge`, '@all in lounge'],
  ]);
  await context.close();
});
