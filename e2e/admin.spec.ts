// The admin console and moderation, driven as a server admin would. Runs after every other spec
// (playwright.config.ts): it changes the registration mode and settings of the whole server.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { ChatApi, createUser, messageWithText, openChat, signInThroughUi, type ChatUser } from './helpers';

test.describe.configure({ mode: 'serial' });

const ADMIN = { username: 'e2e_admin', email: 'e2e-admin@example.test', name: 'Ada Admin', password: 'correct horse battery' };
let admin: ChatUser;

test.beforeAll(async ({ request }) => {
  // An admin by ADMIN_EMAILS (playwright.config.ts).
  const registered = await request.post('/api/auth/register', { data: ADMIN });
  expect([201, 409]).toContain(registered.status());
  const token = await request.post('/api/auth/token', { data: { username: ADMIN.username, password: ADMIN.password } });
  const body = (await token.json()) as { token: string; user: { id: string } };
  admin = { ...ADMIN, id: body.user.id, api: new ChatApi(request, body.token) };
});

async function openConsole(browser: Parameters<typeof openChat>[0]) {
  const session = await openChat(browser, admin);
  await session.page.getByRole('link', { name: 'Admin' }).click();
  await expect(session.page.getByTestId('admin-console')).toBeVisible();
  return session;
}

function userRow(page: Page, username: string) {
  return page.getByTestId('admin-user').and(page.locator(`[data-username="${username}"]`));
}

test('someone who is not an admin sees no admin link, and no admin page', async ({ browser, request }) => {
  const plain = await createUser(request, 'plain');
  const { page, context } = await openChat(browser, plain);
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  const response = await page.goto('/admin');
  expect(response?.status()).toBe(404);
  await context.close();
});

test('deactivating signs the user out at once and keeps them out; reactivating lets them back', async ({ browser, request }) => {
  const target = await createUser(request, 'deac');
  const victim = await openChat(browser, target);
  const { page, context } = await openConsole(browser);

  await page.getByPlaceholder('Search by name, username or e-mail').fill(target.username);
  // The search's answer has replaced the first list.
  await expect(page.getByTestId('admin-user')).toHaveCount(1);
  const row = userRow(page, target.username);
  await row.getByRole('button', { name: 'Deactivate' }).click();
  await expect(row).toHaveAttribute('data-active', 'false');
  // The server disconnected their socket; the page finds its session ended.
  await expect(victim.page).toHaveURL(/\/login/);
  await victim.page.getByLabel('Email or username').fill(target.username);
  await victim.page.getByLabel('Password', { exact: true }).fill(target.password);
  await victim.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(victim.page.getByTestId('form-error')).toHaveText('Wrong email, username or password.');

  await row.getByRole('button', { name: 'Reactivate' }).click();
  await expect(row).toHaveAttribute('data-active', 'true');
  await signInThroughUi(victim.page, target);
  await expect(victim.page.getByTestId('current-user')).toHaveText(target.name);
  await Promise.all([victim.context.close(), context.close()]);
});

test('a password reset link made in the console sets a new password once', async ({ browser, request }) => {
  const forgetful = await createUser(request, 'forg');
  const { page, context } = await openConsole(browser);
  await page.getByPlaceholder('Search by name, username or e-mail').fill(forgetful.username);
  await expect(page.getByTestId('admin-user')).toHaveCount(1);
  await userRow(page, forgetful.username).getByRole('button', { name: 'Reset link' }).click();
  const link = await page.getByTestId('copyable-link').inputValue();
  expect(link).toContain('/reset-password?token=');

  const theirs = await browser.newContext({ baseURL: new URL(page.url()).origin });
  const them = await theirs.newPage();
  await them.goto(link);
  await them.getByLabel('New password').fill('a fresh start passphrase');
  await them.getByRole('button', { name: 'Set new password' }).click();
  await expect(them.getByRole('status')).toContainText('Your password was changed');
  await signInThroughUi(them, { ...forgetful, password: 'a fresh start passphrase' });
  await expect(them.getByTestId('current-user')).toHaveText(forgetful.name);

  // Used once: the same link refuses.
  const again = await theirs.newPage();
  await again.goto(link);
  await again.getByLabel('New password').fill('another passphrase here');
  await again.getByRole('button', { name: 'Set new password' }).click();
  await expect(again.getByTestId('form-error')).toContainText('not valid any more');
  await Promise.all([theirs.close(), context.close()]);
});

test('invite-only registration: without the link no form, with it an account', async ({ browser }) => {
  const { page, context } = await openConsole(browser);
  await page.getByRole('tab', { name: 'Registration' }).click();
  await page.getByLabel(/^Invite only/).check();
  await expect(page.getByRole('status')).toHaveText('Registration mode saved.');
  await page.getByLabel('Uses').fill('1');
  await page.getByRole('button', { name: 'Create invite link' }).click();
  const link = await page.getByTestId('copyable-link').inputValue();
  expect(link).toContain('/register?invite=');

  const guest = await browser.newContext({ baseURL: new URL(page.url()).origin });
  const visitor = await guest.newPage();
  await visitor.goto('/register');
  await expect(visitor.getByTestId('registration-closed')).toContainText('by invite only');
  await visitor.goto(link);
  const username = `invited_${Date.now().toString(36)}`;
  await visitor.getByLabel('Name', { exact: true }).fill('Invited Ivy');
  await visitor.getByLabel('Email', { exact: true }).fill(`${username}@example.test`);
  await visitor.getByLabel('Username', { exact: true }).fill(username);
  await visitor.getByLabel('Password', { exact: true }).fill('correct horse battery');
  await visitor.getByRole('button', { name: 'Create account' }).click();
  await expect(visitor.getByTestId('current-user')).toHaveText('Invited Ivy');
  await expect(page.getByTestId('invite').first()).toBeVisible();

  await page.getByLabel(/^Open/).check();
  await expect(page.getByRole('status')).toHaveText('Registration mode saved.');
  await Promise.all([guest.close(), context.close()]);
});

test('an admin removes a message from its menu; members see it removed by an admin', async ({ browser, request }) => {
  const [poster, reader] = [await createUser(request, 'post'), await createUser(request, 'read')];
  // The token from beforeAll, through this test's own request context.
  const group = await new ChatApi(request, admin.api.token).createConversation({ type: 'group', name: `Moderated ${poster.username}`, participantIds: [poster.id, reader.id] });
  await poster.api.sendMessage(group.id, 'something that breaks the rules');

  const member = await openChat(browser, reader, `/c/${group.id}`);
  const { page, context } = await openChat(browser, admin, `/c/${group.id}`);
  const message = messageWithText(page, 'something that breaks the rules');
  await message.hover();
  await message.getByRole('button', { name: 'Message actions' }).click();
  await page.getByRole('menuitem', { name: 'Remove (admin)' }).click();
  await page.getByRole('dialog', { name: 'Remove message as admin?' }).getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('message-deleted')).toHaveText('This message was removed by an admin');
  await expect(member.page.getByTestId('message-deleted')).toHaveText('This message was removed by an admin');
  await expect(messageWithText(member.page, 'something that breaks the rules')).toHaveCount(0);
  await Promise.all([member.context.close(), context.close()]);
});

test('server settings and the audit log', async ({ browser }) => {
  const { page, context } = await openConsole(browser);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByLabel('Server name').fill('E2E Chat');
  await page.getByLabel('Largest upload (MB)').fill('2');
  await page.getByLabel('only people who share a conversation').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toHaveText('Settings saved.');
  expect(await (await page.request.get('/api/server')).json()).toMatchObject({ name: 'E2E Chat' });

  await page.getByRole('tab', { name: 'Audit log' }).click();
  const entries = page.getByTestId('audit-entry');
  await expect(entries.first()).toHaveAttribute('data-action', 'settings.update');
  for (const action of ['user.deactivate', 'user.reactivate', 'user.reset_link', 'invite.create', 'message.remove']) {
    await expect(entries.and(page.locator(`[data-action="${action}"]`)).first()).toBeVisible();
  }

  // Back to the defaults for whatever runs next on this server.
  await page.getByRole('tab', { name: 'Settings' }).click();
  await page.getByLabel('Largest upload (MB)').fill('');
  await page.getByLabel('everyone on the server').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status')).toHaveText('Settings saved.');
  await context.close();
});
