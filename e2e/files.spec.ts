// Files and voice messages in the browser, run against local disk (playwright.config.ts) and
// against S3 with presigned uploads straight to the bucket (playwright.s3.config.ts): a recorded
// voice message the other side plays, drag and drop and paste of pictures with upload progress,
// several files in order, stored sizes and thumbnails, the lightbox, Cancel, and errors that
// offer Retry only when it can help.
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { chromiumLaunch } from '../playwright.config';
import { expect, test } from './fixtures';
import { conversationItem, createUser, messages, openChat } from './helpers';

// A microphone that plays a tone, allowed without asking.
test.use({ launchOptions: { ...chromiumLaunch, args: [...chromiumLaunch.args, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'] } });

/** Every upload progress event the page's XMLHttpRequests report, as [loaded, total]. */
async function recordUploadProgress(page: Page) {
  await page.addInitScript(() => {
    const seen: [number, number][] = [];
    (window as unknown as { uploadProgress: [number, number][] }).uploadProgress = seen;
    const send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body) {
      this.upload.addEventListener('progress', (event) => seen.push([event.loaded, event.total]));
      return send.call(this, body);
    };
  });
}
const uploadProgress = (page: Page) => page.evaluate(() => (window as unknown as { uploadProgress: [number, number][] }).uploadProgress);

/** Files as the page would get them from a drop or the clipboard. */
async function dataTransfer(page: Page, files: { name: string; type: string; bytes: Buffer }[]) {
  return page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const file of list) transfer.items.add(new File([Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))], file.name, { type: file.type }));
    return transfer;
  }, files.map((file) => ({ name: file.name, type: file.type, base64: file.bytes.toString('base64') })));
}

test('voice: one records a message, the other plays it; the sidebar says how long it is', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const a = await openChat(browser, alice, `/c/${chat.id}`);
  const b = await openChat(browser, bob, '/');

  await a.page.getByRole('button', { name: 'Record a voice message' }).click();
  await expect(a.page.getByTestId('voice-recorder')).toBeVisible();
  await expect(a.page.getByRole('meter', { name: 'Microphone level' })).toBeVisible();
  await expect(a.page.getByTestId('recording-time')).toHaveText(/^0:0[2-9]$/, { timeout: 15_000 });
  await a.page.getByRole('button', { name: 'Send voice message' }).click();
  await expect(a.page.getByTestId('voice-recorder')).toHaveCount(0);

  // Its length, as the sender's own sidebar shows it once sent: at least the two seconds waited for.
  const sent = conversationItem(a.page, bob.name).getByTestId('conversation-preview');
  await expect(sent).toHaveText(/^You: 🎤 Voice message \(\d+:\d\d\)$/);
  const length = (await sent.textContent())!.match(/\((\d+):(\d\d)\)/)!;
  const seconds = Number(length[1]) * 60 + Number(length[2]);
  expect(seconds).toBeGreaterThanOrEqual(2);

  await expect(conversationItem(b.page, alice.name).getByTestId('conversation-preview')).toHaveText(`🎤 Voice message (${length[1]}:${length[2]})`);
  await conversationItem(b.page, alice.name).click();
  const player = messages(b.page).getByTestId('voice-player');
  await expect(player).toBeVisible();
  // The player knows the stored length before the audio loads.
  await expect(player.getByRole('slider', { name: 'Position in the voice message' })).toHaveAttribute('aria-valuemax', String(seconds));
  const audio = player.getByTestId('voice-audio');
  await player.getByRole('button', { name: 'Play voice message' }).click();
  await expect.poll(() => audio.evaluate((element: HTMLAudioElement) => element.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.3);
  await player.getByRole('button', { name: 'Playback speed 1×' }).click();
  await expect(audio).toHaveJSProperty('playbackRate', 1.5);

  await a.context.close();
  await b.context.close();
});

test('pictures: drag and drop and paste upload with progress; their size is known before they load; a large one has a thumbnail and opens in a lightbox', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const a = await openChat(browser, alice, `/c/${chat.id}`);
  await recordUploadProgress(a.page);
  await a.page.reload();
  const b = await openChat(browser, bob, `/c/${chat.id}`);
  // Where the bytes go: straight to the bucket with S3, to the app on local disk.
  const { direct } = (await (await a.context.request.get('/api/uploads')).json()) as { direct: boolean };
  const puts: string[] = [];
  a.page.on('request', (request) => {
    if (request.method() === 'PUT' || (request.method() === 'POST' && request.url().endsWith('/api/uploads'))) puts.push(`${request.method()} ${new URL(request.url()).origin}`);
  });

  const photo = await sharp({ create: { width: 1600, height: 1000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 85 }).toBuffer();
  const notes = Buffer.from('minutes of the meeting\n');

  // Two files dropped at once: two messages, in the order dropped, the draft as the first one's caption.
  await a.page.getByRole('textbox', { name: /^Message / }).fill('From the trip');
  const dropped = await dataTransfer(a.page, [
    { name: 'beach.jpg', type: 'image/jpeg', bytes: photo },
    { name: 'notes.txt', type: 'text/plain', bytes: notes },
  ]);
  const conversation = a.page.getByRole('region', { name: /^Conversation with / });
  await conversation.dispatchEvent('dragenter', { dataTransfer: dropped });
  await expect(a.page.getByTestId('drop-zone')).toBeVisible();
  await conversation.dispatchEvent('drop', { dataTransfer: dropped });
  await expect(a.page.getByTestId('drop-zone')).toHaveCount(0);

  const image = b.page.getByTestId('attachment-image').getByRole('img', { name: 'beach.jpg' });
  await expect(image).toBeVisible();
  // The space is reserved from the stored size (320 × 200 for 1600 × 1000), and the thumbnail shown.
  await expect(image).toHaveAttribute('width', '320');
  await expect(image).toHaveAttribute('height', '200');
  await expect(image).toHaveAttribute('src', /\?variant=thumbnail$/);
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(800);
  await expect(messages(b.page).filter({ has: image }).getByTestId('message-text')).toHaveText('From the trip');
  const file = messages(b.page).last().getByTestId('attachment-file');
  await expect(file).toContainText('notes.txt');
  await expect(messages(b.page).last()).not.toContainText('beach.jpg');
  await expect(conversationItem(b.page, alice.name).getByTestId('conversation-preview')).toHaveText('📎 notes.txt');
  const progress = await uploadProgress(a.page);
  expect(progress.length).toBeGreaterThan(0);
  expect(progress.some(([loaded, total]) => total >= photo.length && loaded === total)).toBe(true);
  const appOrigin = new URL(a.page.url()).origin;
  expect(puts.length).toBeGreaterThanOrEqual(2);
  for (const sent of puts) expect(sent).toEqual(direct ? expect.stringMatching(/^PUT http:\/\/127\.0\.0\.1:\d+$/) : `POST ${appOrigin}`);
  if (direct) expect(puts.every((sent) => !sent.endsWith(appOrigin))).toBe(true);

  // The original in a lightbox, closed with Escape.
  await image.click();
  const lightbox = b.page.getByTestId('lightbox');
  await expect(lightbox).toBeVisible();
  await expect.poll(() => lightbox.getByRole('img', { name: 'beach.jpg' }).evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1600);
  await b.page.keyboard.press('Escape');
  await expect(lightbox).toHaveCount(0);

  // A screenshot pasted into the composer.
  const before = (await uploadProgress(a.page)).length;
  const pasted = await dataTransfer(a.page, [{ name: 'image.png', type: 'image/png', bytes: await sharp({ create: { width: 40, height: 30, channels: 3, background: '#ff8800' } }).png().toBuffer() }]);
  await a.page.getByRole('textbox', { name: /^Message / }).evaluate((box, clipboardData) => {
    box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboardData as DataTransfer, bubbles: true, cancelable: true }));
  }, pasted);
  const screenshot = messages(b.page).getByTestId('attachment-image').getByRole('img', { name: 'image.png' });
  await expect(screenshot).toBeVisible();
  await expect(screenshot).toHaveAttribute('width', '85');
  await expect(screenshot).toHaveAttribute('src', /\/api\/attachments\/[0-9a-f-]+$/);
  expect((await uploadProgress(a.page)).length).toBeGreaterThan(before);

  await a.context.close();
  await b.context.close();
});

test('an upload can be cancelled; a refused file says what to do and offers no Retry', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const a = await openChat(browser, alice, `/c/${chat.id}`);

  // The upload is held on its way (the first POST of it: the streamed upload, or the presign).
  let held = 0;
  await a.page.route('**/api/uploads**', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    held += 1;
    // Never answered: the page's Cancel must end it.
  });
  await a.page.getByTestId('file-input').setInputFiles({ name: 'draft.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
  const uploading = messages(a.page).filter({ hasText: 'draft.pdf' });
  await expect(uploading.getByRole('progressbar', { name: 'Uploading draft.pdf' })).toBeVisible();
  await expect.poll(() => held).toBe(1);
  await uploading.getByRole('button', { name: 'Cancel upload of draft.pdf' }).click();
  await expect(uploading).toHaveCount(0);
  await a.page.unroute('**/api/uploads**');

  await a.page.getByTestId('file-input').setInputFiles({ name: 'tool.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ not really') });
  const refused = messages(a.page).filter({ hasText: 'tool.exe' });
  await expect(refused).toHaveAttribute('data-status', 'failed');
  await expect(refused.getByRole('alert')).toContainText('not allowed. You can send images');
  await expect(refused.getByRole('button', { name: 'Discard' })).toBeVisible();
  await expect(refused.getByRole('button', { name: 'Retry' })).toHaveCount(0);

  // Bob never saw either.
  const b = await openChat(browser, bob, `/c/${chat.id}`);
  await expect(b.page.getByRole('textbox', { name: /^Message / })).toBeVisible();
  await expect(messages(b.page)).toHaveCount(0);

  await a.context.close();
  await b.context.close();
});
