import { expect, test } from './fixtures';
import { expectOnline, registerThroughUi, signInThroughUi, uniqueUser } from './helpers';

test('register, sign out, sign in again, and see the chat home', async ({ page }) => {
  const user = uniqueUser('alice');
  await registerThroughUi(page, user);
  await expect(page.getByTestId('current-user')).toHaveText(user.name);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);

  await signInThroughUi(page, user);
  await expect(page.getByTestId('current-user')).toHaveText(user.name);
});

test('a wrong password is refused with a message', async ({ page }) => {
  const user = uniqueUser('bob');
  await registerThroughUi(page, user);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Email or username').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('form-error')).toHaveText('Wrong email, username or password.');
  await expect(page).toHaveURL(/\/login/);
});

test('registering a taken username shows why', async ({ page }) => {
  const user = uniqueUser('carol');
  await registerThroughUi(page, user);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/register');
  await page.getByLabel('Email', { exact: true }).fill(`other_${user.email}`);
  await page.getByLabel('Username', { exact: true }).fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('form-error')).toContainText('username is already taken');
});

test('after signing out, a copy of the old session cookie is refused', async ({ page, context }) => {
  const user = uniqueUser('dora');
  await registerThroughUi(page, user);
  const session = (await context.cookies()).find((c) => c.name.endsWith('next-auth.session-token'))!;
  const copy = `${session.name}=${session.value}`;
  expect((await page.request.get('/api/me', { headers: { cookie: copy } })).status()).toBe(200);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  expect((await page.request.get('/api/me', { headers: { cookie: copy } })).status()).toBe(401);
});

test('changing the password in the account dialog keeps this browser signed in; only the new one signs in', async ({ page }) => {
  const user = uniqueUser('erin');
  const newPassword = 'a brand new passphrase';
  await registerThroughUi(page, user);
  await page.getByRole('button', { name: 'Account' }).click();
  const dialog = page.getByRole('dialog', { name: 'Account' });
  await dialog.getByLabel('Current password').fill('not my password');
  await dialog.getByLabel('New password').fill(newPassword);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Your current password is not right.');

  await dialog.getByLabel('Current password').fill(user.password);
  await dialog.getByLabel('New password').fill(newPassword);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog.getByRole('status')).toContainText('Password changed');
  await dialog.getByRole('button', { name: 'Close' }).click();
  // The live connection was ended with the old credentials and comes back with the fresh cookie.
  await expectOnline(page);
  await page.reload();
  await expect(page.getByTestId('current-user')).toHaveText(user.name);
  await expectOnline(page);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Email or username').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('form-error')).toHaveText('Wrong email, username or password.');
  await signInThroughUi(page, { ...user, password: newPassword });
  await expect(page.getByTestId('current-user')).toHaveText(user.name);
});

test('"Sign out everywhere" signs out this browser and, at once, another one', async ({ page, browser }) => {
  const user = uniqueUser('fern');
  await registerThroughUi(page, user);
  const other = await browser.newContext({ baseURL: new URL(page.url()).origin });
  const otherPage = await other.newPage();
  await signInThroughUi(otherPage, user);
  await expectOnline(otherPage);

  await page.getByRole('button', { name: 'Account' }).click();
  await page.getByRole('dialog', { name: 'Account' }).getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/login/);
  // The other browser's socket is disconnected by the server; its reconnect is refused.
  await expect(otherPage).toHaveURL(/\/login/);
  await other.close();
});
