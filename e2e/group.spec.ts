import { expect, test } from './fixtures';
import { conversationItem, createUser, messageWithText, openChat, pickUser, sendFromComposer } from './helpers';

test('groups: create with members, add and remove (confirmed, a timeline note, read-only for the removed), rename live, mute, archive and leave', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const carol = await createUser(request, 'carol');
  // Alice knows Carol already (so the app knows whether she is online).
  await alice.api.createConversation({ type: 'private', participantIds: [carol.id] });
  const a = await openChat(browser, alice);
  const b = await openChat(browser, bob);
  const c = await openChat(browser, carol);

  // Alice creates a group with Bob.
  await a.page.getByRole('button', { name: 'New conversation' }).click();
  const dialog = a.page.getByRole('dialog', { name: 'New conversation' });
  await dialog.getByRole('tab', { name: 'New group' }).click();
  await dialog.getByLabel('Group name').fill('Weekend plans');
  await pickUser(dialog, bob);
  await expect(dialog.getByRole('button', { name: `Remove ${bob.name}` })).toBeVisible();
  await dialog.getByRole('button', { name: 'Create group' }).click();
  await expect(a.page.getByTestId('conversation-heading')).toHaveText('Weekend plans');
  const groupId = new URL(a.page.url()).pathname.split('/').pop()!;
  await expect(a.page.getByTestId('conversation-subtitle')).toHaveText('2 members');
  await expect(conversationItem(b.page, 'Weekend plans')).toBeVisible();

  // Alice adds Carol from the group info; Carol sees the group, with its members' presence.
  await a.page.getByRole('button', { name: 'Conversation info' }).click();
  const info = a.page.getByRole('region', { name: 'Group info' });
  await info.getByRole('button', { name: 'Add member' }).click();
  await pickUser(a.page.getByRole('dialog', { name: 'Add member' }), carol);
  await expect(info.getByTestId('member')).toHaveCount(3);
  await expect(info.getByTestId('member').filter({ hasText: carol.name }).getByTestId('presence-dot')).toHaveAttribute('data-online', 'true');
  await expect(conversationItem(c.page, 'Weekend plans')).toBeVisible();

  // In a group, others' messages carry their names.
  await conversationItem(c.page, 'Weekend plans').click();
  await sendFromComposer(c.page, 'Hi all');
  await expect(messageWithText(a.page, 'Hi all')).toBeVisible();
  await expect(a.page.getByText(carol.name, { exact: true }).first()).toBeVisible();

  // Rename: everyone sees the new name live.
  await info.getByRole('button', { name: 'Rename group' }).click();
  await info.getByLabel('Group name').fill('Weekend trip');
  await info.getByRole('button', { name: 'Save' }).click();
  await expect(a.page.getByTestId('conversation-heading')).toHaveText('Weekend trip');
  await expect(conversationItem(b.page, 'Weekend trip')).toBeVisible();
  await expect(c.page.getByTestId('conversation-heading')).toHaveText('Weekend trip');

  // Removing Carol asks first; cancelling keeps her.
  await info.getByRole('button', { name: `Remove ${carol.name}` }).click();
  const confirm = a.page.getByRole('dialog', { name: `Remove ${carol.name}?` });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(info.getByTestId('member')).toHaveCount(3);
  await info.getByRole('button', { name: `Remove ${carol.name}` }).click();
  await confirm.getByRole('button', { name: 'Remove' }).click();
  await expect(info.getByTestId('member')).toHaveCount(2);
  // Carol keeps it, read-only (the rest of that flow: channels.spec.ts).
  await expect(c.page.getByTestId('left-conversation')).toContainText(`You were removed by ${alice.name}`);

  // Bob mutes it: a new message shows a muted badge and leaves the tab title alone.
  await conversationItem(b.page, 'Weekend trip').click();
  await b.page.getByRole('button', { name: 'Conversation info' }).click();
  await b.page.getByLabel('Mute notifications').selectOption('8h');
  await expect(conversationItem(b.page, 'Weekend trip').getByRole('img', { name: 'Muted' })).toBeVisible();
  await b.page.goto('/');
  await alice.api.sendMessage(groupId, 'Muted ping');
  await expect(conversationItem(b.page, 'Weekend trip').getByTestId('unread-badge')).toHaveText('1');
  await expect(b.page).toHaveTitle('Parley');

  // Archive folds it away under "Archived".
  await conversationItem(b.page, 'Weekend trip').click();
  await b.page.getByRole('button', { name: 'Conversation info' }).click();
  await b.page.getByRole('button', { name: 'Archive conversation' }).click();
  await expect(conversationItem(b.page, 'Weekend trip')).toHaveCount(0);
  await b.page.getByRole('button', { name: 'Archived (1)' }).click();
  await expect(conversationItem(b.page, 'Weekend trip').getByRole('img', { name: 'Archived' })).toBeVisible();

  // Bob leaves: gone from his list, and from Alice's member list.
  await b.page.getByRole('button', { name: 'Leave group' }).click();
  await b.page.getByRole('dialog', { name: 'Leave group?' }).getByRole('button', { name: 'Leave' }).click();
  await expect(b.page).toHaveURL(/\/$/);
  await expect(conversationItem(b.page, 'Weekend trip')).toHaveCount(0);
  await expect(info.getByTestId('member')).toHaveCount(1);
  await expect(a.page.getByTestId('conversation-subtitle')).toHaveText('1 member');

  for (const s of [a, b, c]) await s.context.close();
});
