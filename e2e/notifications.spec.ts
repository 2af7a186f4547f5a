// In-page notifications in Chromium: a message for a conversation the user is not looking at
// makes one desktop notification across all their tabs (window.Notification is wrapped to record
// the calls; the page is hidden by emulating document.visibilityState and focus), plays the sound,
// puts a dot on the favicon; clicking the notification opens the conversation at the message.
// Nothing notifies for the conversation a tab shows in view, nor for a muted one. The permission
// is asked from the in-app prompt, never on load.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { conversationItem, createUser, expectOnline, messageWithText } from './helpers';
import { hide, notificationsOf, openTabs } from './notification-probe';

const favicon = (page: Page) => page.locator('link[rel~="icon"]').first();

test('a message while every tab is hidden: one notification for two tabs, a sound, a dot; the click opens it at the message', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await bob.api.createConversation({ type: 'private', participantIds: [alice.id] });
  // Earlier history, so the message is not simply the only thing on screen.
  for (let i = 0; i < 3; i++) await bob.api.sendMessage(chat.id, `earlier ${i}`);

  const { context, pages } = await openTabs(browser, alice, { tabs: 2, options: { permissions: ['notifications'] } });
  const [first, second] = pages as [Page, Page];
  await expect(favicon(first)).toHaveAttribute('href', /favicon-unread-32\.png/);
  // Read what was waiting: open the chat in one tab, then go back to the list.
  await conversationItem(first, bob.name).click();
  await expect(messageWithText(first, 'earlier 2')).toBeVisible();
  await first.goto('/');
  await expect(favicon(first)).toHaveAttribute('href', /favicon-32\.png/);
  await expect(favicon(second)).toHaveAttribute('href', /favicon-32\.png/);
  await hide(first);
  await hide(second);

  const sent = await bob.api.sendMessage(chat.id, 'Are you coming to the review?');
  // Both tabs have the message (their titles count it) before anything is counted.
  await expect(first).toHaveTitle('(1) Parley');
  await expect(second).toHaveTitle('(1) Parley');
  const shown = [...(await notificationsOf(first)), ...(await notificationsOf(second))];
  expect(shown).toEqual([{ title: bob.name, body: 'Are you coming to the review?', tag: `conversation:${chat.id}` }]);
  await expect(favicon(first)).toHaveAttribute('href', /favicon-unread-32\.png/);
  await expect(favicon(second)).toHaveAttribute('href', /favicon-unread-32\.png/);

  // The tab that showed it played the sound; the other stayed silent.
  const leader = (await notificationsOf(first)).length === 1 ? first : second;
  const other = leader === first ? second : first;
  expect(await leader.evaluate(() => window.__probe.sounds)).toEqual([expect.stringMatching(/\/sounds\/notification\.wav$/)]);
  expect(await other.evaluate(() => window.__probe.sounds)).toEqual([]);

  // Clicking it brings that tab to the conversation, at the message.
  await leader.evaluate(() => window.__probe.instances[0]!.dispatchEvent(new Event('click')));
  await hide(leader, false);
  await expect(leader).toHaveURL(new RegExp(`/c/${chat.id}$`));
  const target = leader.locator(`#message-${sent.id}`);
  await expect(target).toBeFocused();
  await expect(target).toHaveAttribute('data-flashes', '1');
  await expect(leader).toHaveTitle('Parley');
  await expect(favicon(leader)).toHaveAttribute('href', /favicon-32\.png/);
  await context.close();
});

test('no notification for the conversation a tab shows in view, nor a muted one; one for another conversation', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const carol = await createUser(request, 'carol');
  const dave = await createUser(request, 'dave');
  const withBob = await bob.api.createConversation({ type: 'private', participantIds: [alice.id] });
  const withCarol = await carol.api.createConversation({ type: 'private', participantIds: [alice.id] });
  const withDave = await dave.api.createConversation({ type: 'private', participantIds: [alice.id] });
  const muted = await request.patch(`/api/conversations/${withDave.id}/settings`, {
    headers: { authorization: `Bearer ${alice.api.token}` },
    data: { mutedUntil: new Date(Date.now() + 3_600_000).toISOString() },
  });
  expect(muted.ok(), await muted.text()).toBeTruthy();

  const { context, pages } = await openTabs(browser, alice, { tabs: 2, path: `/c/${withBob.id}`, options: { permissions: ['notifications'] } });
  const [watching, hidden] = pages as [Page, Page];
  await hide(hidden);

  // Bob's chat is in view in one tab: nothing. Dave's is muted: counted, never notified.
  // Carol's is not in view anywhere: a notification.
  await bob.api.sendMessage(withBob.id, 'seen live');
  await dave.api.sendMessage(withDave.id, 'muted one');
  await carol.api.sendMessage(withCarol.id, 'elsewhere');
  await expect(messageWithText(watching, 'seen live')).toBeVisible();
  for (const page of pages) {
    await expect(conversationItem(page, dave.name).getByTestId('unread-badge')).toHaveText('1');
    await expect(conversationItem(page, carol.name).getByTestId('unread-badge')).toHaveText('1');
  }
  let shown = [...(await notificationsOf(watching)), ...(await notificationsOf(hidden))];
  expect(shown.map((n) => n.body)).toEqual(['elsewhere']);

  // Once the watching tab is hidden too, Bob's next message notifies.
  await expect(conversationItem(hidden, bob.name).getByTestId('unread-badge')).toBeHidden();
  await hide(watching);
  await bob.api.sendMessage(withBob.id, 'now hidden');
  for (const page of pages) await expect(conversationItem(page, bob.name).getByTestId('unread-badge')).toHaveText('1');
  shown = [...(await notificationsOf(watching)), ...(await notificationsOf(hidden))];
  expect(shown.map((n) => n.body)).toEqual(['elsewhere', 'now hidden']);
  await context.close();
});

test('the permission is asked from the in-app prompt, never on load; "Not now" is remembered', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const { context, pages } = await openTabs(browser, alice, { permission: 'default' });
  const page = pages[0]!;
  const prompt = page.getByTestId('notification-prompt');
  await expect(prompt).toBeVisible();
  expect(await page.evaluate(() => window.__probe.permissionRequests)).toBe(0);
  await prompt.getByRole('button', { name: 'Turn on' }).click();
  await expect(prompt).toBeHidden();
  expect(await page.evaluate(() => window.__probe.permissionRequests)).toBe(1);
  await page.getByRole('button', { name: 'Notifications' }).click();
  await expect(page.getByTestId('notification-permission')).toHaveAttribute('data-permission', 'granted');

  // The sound can be turned off, and stays off.
  const sound = page.getByRole('checkbox', { name: 'Play a sound for new messages' });
  await expect(sound).toBeChecked();
  await sound.uncheck();
  await page.reload();
  await expectOnline(page);
  await page.getByRole('button', { name: 'Notifications' }).click();
  await expect(page.getByRole('checkbox', { name: 'Play a sound for new messages' })).not.toBeChecked();
  await context.close();

  const again = await openTabs(browser, alice, { permission: 'default' });
  const fresh = again.pages[0]!;
  await fresh.getByTestId('notification-prompt').getByRole('button', { name: 'Not now' }).click();
  await expect(fresh.getByTestId('notification-prompt')).toBeHidden();
  await fresh.reload();
  await expectOnline(fresh);
  await expect(fresh.getByTestId('current-user')).toHaveText(alice.name);
  await expect(fresh.getByTestId('notification-prompt')).toBeHidden();
  expect(await fresh.evaluate(() => window.__probe.permissionRequests)).toBe(0);
  await again.context.close();
});

test('the app is installable: manifest with 192, 512 and maskable icons, linked from the page, same origin', async ({ page, request }) => {
  const response = await request.get('/manifest.webmanifest');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('manifest+json');
  const manifest = (await response.json()) as { start_url: string; theme_color: string; icons: { src: string; sizes: string; purpose: string }[] };
  expect(manifest.start_url).toBe('/');
  expect(manifest.theme_color).toMatch(/^#/);
  const png = manifest.icons.filter((icon) => icon.src.endsWith('.png'));
  expect(png.map((icon) => `${icon.sizes} ${icon.purpose}`).sort()).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
  for (const icon of png) {
    const bytes = await (await request.get(icon.src)).body();
    // PNG signature, then the IHDR's width and height.
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`).toBe(icon.sizes);
  }
  const sound = await request.get('/sounds/notification.wav');
  expect(sound.status()).toBe(200);
  expect((await sound.body()).subarray(0, 4).toString()).toBe('RIFF');

  await page.goto('/login');
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  // The page may fetch it under its CSP (the fixture fails the test on any violation).
  expect(await page.evaluate(async () => (await fetch('/manifest.webmanifest')).status)).toBe(200);
  const dark = await page.locator('meta[name="theme-color"][media="(prefers-color-scheme: dark)"]').getAttribute('content');
  expect(dark).toMatch(/^#/);
});
