// The account dialog: display name and picture, and deleting the account (messages stay, shown
// as "Deleted user"; the account cannot sign in again). Password change: auth.spec.ts.
import sharp from 'sharp';
import { expect, test } from './fixtures';
import { conversationItem, createUser, messageWithText, openChat, registerThroughUi, uniqueUser } from './helpers';

test('changing the display name and picture shows them at once', async ({ page }) => {
  const user = uniqueUser('prof');
  await registerThroughUi(page, user);
  await page.getByRole('button', { name: 'Account' }).click();
  const dialog = page.getByRole('dialog', { name: 'Account' });

  await dialog.getByLabel('Display name').fill('Grace Hopper');
  await dialog.getByRole('button', { name: 'Save name' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Name saved.');
  await expect(page.getByTestId('current-user')).toHaveText('Grace Hopper');

  const wide = await sharp({ create: { width: 640, height: 320, channels: 3, background: '#c026d3' } }).png().toBuffer();
  await dialog.getByLabel('Upload picture').setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: wide });
  await expect(dialog.getByRole('status')).toHaveText('Picture saved.');
  const picture = dialog.getByTestId('profile-avatar').locator('img');
  // Served by the app (same-origin, under the CSP) and cropped to a square.
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => (img.complete ? [img.naturalWidth, img.naturalHeight] : null))).toEqual([256, 256]);

  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Picture removed.');
  await expect(dialog.getByTestId('profile-avatar')).toHaveAttribute('data-has-picture', 'false');
  await expect(dialog.getByLabel('Display name')).toHaveValue('Grace Hopper');
});

test('deleting the account signs it out for good; its messages stay as "Deleted user"', async ({ browser, request }) => {
  const [leaving, staying] = [await createUser(request, 'leav'), await createUser(request, 'stay')];
  const chat = await leaving.api.createConversation({ type: 'private', participantIds: [staying.id] });
  await leaving.api.sendMessage(chat.id, 'so long, and thanks');

  const mine = await openChat(browser, leaving);
  await mine.page.getByRole('button', { name: 'Account' }).click();
  const dialog = mine.page.getByRole('dialog', { name: 'Account' });
  await dialog.getByRole('button', { name: 'Delete account…' }).click();
  await dialog.getByLabel('Your password').fill('not my password');
  await dialog.getByRole('button', { name: 'Delete my account' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Your password is not right.');
  await dialog.getByLabel('Your password').fill(leaving.password);
  await dialog.getByRole('button', { name: 'Delete my account' }).click();
  await expect(mine.page).toHaveURL(/\/login/);

  await mine.page.getByLabel('Email or username').fill(leaving.username);
  await mine.page.getByLabel('Password', { exact: true }).fill(leaving.password);
  await mine.page.getByRole('button', { name: 'Sign in' }).click();
  await expect(mine.page.getByTestId('form-error')).toHaveText('Wrong email, username or password.');
  await mine.context.close();

  const theirs = await openChat(browser, staying);
  await conversationItem(theirs.page, 'Deleted user').click();
  await expect(messageWithText(theirs.page, 'so long, and thanks')).toBeVisible();
  await theirs.context.close();
});
