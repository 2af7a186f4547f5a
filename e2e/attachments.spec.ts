import { expect, test } from './fixtures';
import { createUser, messages, openChat } from './helpers';

// A real 1×1 PNG: the server checks a file's bytes against its declared type.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

test('files: a picture with a caption and a document arrive at the other side; a refused type can be discarded', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const a = await openChat(browser, alice, `/c/${chat.id}`);
  const b = await openChat(browser, bob, `/c/${chat.id}`);

  await a.page.getByRole('textbox', { name: /^Message / }).fill('The logo');
  await a.page.getByTestId('file-input').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: PNG });
  const image = b.page.getByTestId('attachment-image').getByRole('img', { name: 'logo.png' });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
  await expect(messages(b.page).filter({ has: image }).getByTestId('message-text')).toHaveText('The logo');
  await expect(a.page.getByRole('textbox', { name: /^Message / })).toHaveValue('');

  await a.page.getByTestId('file-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('minutes of the meeting\n') });
  const file = b.page.getByTestId('attachment-file');
  await expect(file).toContainText('notes.txt');
  const download = await (await b.context.request.get((await file.getAttribute('href'))!)).text();
  expect(download).toBe('minutes of the meeting\n');

  // Not an allowed type: the message says why, and can be thrown away.
  await a.page.getByTestId('file-input').setInputFiles({ name: 'tool.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ not really') });
  const refused = messages(a.page).filter({ hasText: 'tool.exe' });
  await expect(refused).toHaveAttribute('data-status', 'failed');
  await expect(refused.getByRole('alert')).toContainText('not allowed');
  await refused.getByRole('button', { name: 'Discard' }).click();
  await expect(refused).toHaveCount(0);
  await expect(messages(b.page).filter({ hasText: 'tool.exe' })).toHaveCount(0);

  await a.context.close();
  await b.context.close();
});
