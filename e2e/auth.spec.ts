import { expect, test } from '@playwright/test';
import { registerThroughUi, signInThroughUi, uniqueUser } from './helpers';

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
