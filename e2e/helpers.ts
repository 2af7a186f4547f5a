import { randomUUID } from 'node:crypto';
import { expect, type Page } from '@playwright/test';

export const PASSWORD = 'correct horse battery';

export function uniqueUser(prefix = 'e2e') {
  const username = `${prefix}_${randomUUID().slice(0, 8)}`;
  return { username, email: `${username}@example.test`, name: `${prefix[0]!.toUpperCase()}${prefix.slice(1)} ${username.slice(-4)}`, password: PASSWORD };
}

export type TestUser = ReturnType<typeof uniqueUser>;

export async function registerThroughUi(page: Page, user: TestUser) {
  await page.goto('/register');
  await page.getByLabel('Name', { exact: true }).fill(user.name);
  await page.getByLabel('Email', { exact: true }).fill(user.email);
  await page.getByLabel('Username', { exact: true }).fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/$|\/c\//);
}

export async function signInThroughUi(page: Page, user: TestUser) {
  await page.goto('/login');
  await page.getByLabel('Email or username').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$|\/c\//);
}
