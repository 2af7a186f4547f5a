// Recording without the microphone: the browser refuses it (no permission granted, no fake
// device allowed), and the composer says what to do instead of failing silently.
import { expect, test } from './fixtures';
import { createUser, openChat } from './helpers';

test('a refused microphone says how to allow it, and the composer stays usable', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const a = await openChat(browser, alice, `/c/${chat.id}`);
  // A microphone that exists but is refused: the browser's own answer to the permission request.
  await a.page.evaluate(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });

  await a.page.getByRole('button', { name: 'Record a voice message' }).click();
  await expect(a.page.getByRole('alert').filter({ hasText: 'icrophone' })).toHaveText(/Microphone access was refused\. Allow the microphone for this site in your browser’s settings, then try again\./);
  await expect(a.page.getByTestId('voice-recorder')).toHaveCount(0);
  await expect(a.page.getByRole('textbox', { name: /^Message / })).toBeVisible();

  // No microphone at all.
  await a.page.evaluate(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Requested device not found', 'NotFoundError'));
  });
  await a.page.getByRole('button', { name: 'Record a voice message' }).click();
  await expect(a.page.getByRole('alert').filter({ hasText: 'icrophone' })).toHaveText('No microphone was found. Connect one, then try again.');

  await a.context.close();
});
