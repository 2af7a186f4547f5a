// Web Push in Chromium: the service worker registers, the app subscribes with the server's VAPID
// key and hands the server the subscription, a pushed message shows as a notification, and
// opening it brings the conversation up at that message. Chromium cannot reach a real push
// service here (no network), so `pushManager.subscribe` is recorded and answers with a
// subscription shaped as a browser's; the push itself is delivered to the service worker through
// the DevTools protocol, as a push service would deliver it.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createUser, expectOnline, messageWithText, openChat, signInContext, type ChatUser } from './helpers';
import type { PushPayload } from '../lib/protocol';

/** Records subscribe calls; answers with a browser-shaped subscription (a P-256 key and an auth secret). */
const FAKE_PUSH_SERVICE = () => {
  const calls: { applicationServerKey: string; userVisibleOnly: boolean }[] = [];
  let current: PushSubscription | null = null;
  const b64url = (bytes: ArrayBuffer | Uint8Array) =>
    btoa(String.fromCharCode(...new Uint8Array(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  (window as unknown as { __pushCalls: typeof calls }).__pushCalls = calls;
  PushManager.prototype.subscribe = async function subscribe(options?: PushSubscriptionOptionsInit) {
    const key = options?.applicationServerKey as Uint8Array;
    calls.push({ applicationServerKey: b64url(key), userVisibleOnly: Boolean(options?.userVisibleOnly) });
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    const p256dh = b64url(await crypto.subtle.exportKey('raw', pair.publicKey));
    const auth = b64url(crypto.getRandomValues(new Uint8Array(16)));
    const endpoint = `https://push.example.test/send/${crypto.randomUUID()}`;
    current = {
      endpoint,
      expirationTime: null,
      options: { applicationServerKey: key.buffer, userVisibleOnly: true },
      toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }),
      unsubscribe: async () => {
        current = null;
        return true;
      },
    } as unknown as PushSubscription;
    return current;
  };
  PushManager.prototype.getSubscription = async () => current;
};

/** Signed in, notifications allowed, and the fake push service in place before the app loads. */
async function openWithNotifications(browser: Browser, user: ChatUser, path = '/') {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, permissions: ['notifications'] });
  await context.addInitScript(FAKE_PUSH_SERVICE);
  await signInContext(context, user);
  const page = await context.newPage();
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/push/subscriptions') && r.request().method() === 'POST');
  await page.goto(path);
  await expectOnline(page);
  return { context, page, saved };
}

async function pushCalls(page: Page) {
  return page.evaluate(() => (window as unknown as { __pushCalls: { applicationServerKey: string; userVisibleOnly: boolean }[] }).__pushCalls);
}

/** Delivers a push to the page's service worker as the push service would (already decrypted). */
async function deliverPush(context: BrowserContext, page: Page, payload: PushPayload) {
  const cdp = await context.newCDPSession(page);
  const registration = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((r) => r.scopeURL.startsWith(new URL(page.url()).origin) && !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.deliverPushMessage', { origin: new URL(page.url()).origin, registrationId: await registration, data: JSON.stringify(payload) });
}

test('the service worker registers and the app subscribes with the server’s VAPID key', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  // Signed in with notifications allowed: the app subscribes this browser by itself.
  const chat = await openWithNotifications(browser, alice);
  expect((await chat.saved).status()).toBe(201);

  const scriptURL = await chat.page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
  expect(scriptURL).toMatch(/\/sw\.js$/);
  const key = ((await (await chat.page.request.get('/api/push/key')).json()) as { publicKey: string }).publicKey;
  expect(key).toMatch(/^[A-Za-z0-9_-]{87}$/);
  expect(await pushCalls(chat.page)).toEqual([{ applicationServerKey: key, userVisibleOnly: true }]);

  // The account dialog says push is on; turning it off removes the subscription from the server.
  await chat.page.getByRole('button', { name: 'Account' }).click();
  await expect(chat.page.getByTestId('push-state')).toHaveAttribute('data-state', 'on');
  const removed = chat.page.waitForResponse((r) => r.url().endsWith('/api/push/subscriptions') && r.request().method() === 'DELETE');
  await chat.page.getByRole('button', { name: 'Turn off' }).click();
  expect((await removed).status()).toBe(204);
  await expect(chat.page.getByTestId('push-state')).toHaveAttribute('data-state', 'off');
  await chat.context.close();
});

test('a pushed message shows as a notification; opening it brings up the conversation at the message', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'group', name: 'Push group', participantIds: [bob.id] });
  const message = await alice.api.sendMessage(chat.id, 'Look at this when you can');

  const b = await openWithNotifications(browser, bob);
  expect((await b.saved).status()).toBe(201);
  await deliverPush(b.context, b.page, {
    kind: 'message',
    conversationId: chat.id,
    conversationType: 'group',
    conversationName: 'Push group',
    messageId: message.id,
    seq: message.seq,
    senderId: alice.id,
    senderName: alice.name,
    preview: 'Look at this when you can',
    threadRootId: null,
    sentAt: message.createdAt,
    url: `/c/${chat.id}?message=${message.id}`,
  });

  const shown = () =>
    b.page.evaluate(async () =>
      (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data as unknown })),
    );
  await expect.poll(shown).toEqual([
    { title: `${alice.name} in Push group`, body: 'Look at this when you can', tag: `conversation:${chat.id}`, data: { url: `/c/${chat.id}?message=${message.id}`, conversationId: chat.id, messageId: message.id } },
  ]);

  // What a click on it runs: the open app switches to the conversation, at the message.
  const [worker] = b.context.serviceWorkers();
  expect(worker).toBeTruthy();
  await worker!.evaluate(async () => {
    const scope = self as unknown as { registration: ServiceWorkerRegistration; openConversation(data: unknown): Promise<void> };
    const [notification] = await scope.registration.getNotifications();
    notification!.close();
    await scope.openConversation(notification!.data);
  });
  await expect(b.page).toHaveURL(new RegExp(`/c/${chat.id}$`));
  await expect(messageWithText(b.page, 'Look at this when you can')).toBeVisible();
  await b.context.close();
});

test('a notification link opens the app at the message; notification settings are kept', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const message = await alice.api.sendMessage(chat.id, 'Opened from a notification');

  const b = await openChat(browser, bob, `/c/${chat.id}?message=${message.id}`);
  await expect(messageWithText(b.page, 'Opened from a notification')).toBeVisible();
  await expect(b.page).toHaveURL(new RegExp(`/c/${chat.id}$`));

  // This conversation: only mentions and direct messages.
  await b.page.getByRole('button', { name: 'Conversation info' }).click();
  const level = b.page.getByLabel('Notification level');
  await expect(level).toHaveValue('default');
  await level.selectOption('mentions');
  await expect(level).toHaveValue('mentions');

  // My defaults: nothing, and no message content.
  await b.page.getByRole('button', { name: 'Account' }).click();
  await b.page.getByLabel('Notify me by default about').selectOption('none');
  await b.page.getByLabel('Hide message content in notifications').check();
  await expect(b.page.getByLabel('Hide message content in notifications')).toBeChecked();

  await b.page.reload();
  await b.page.getByRole('button', { name: 'Account' }).click();
  await expect(b.page.getByLabel('Notify me by default about')).toHaveValue('none');
  await expect(b.page.getByLabel('Hide message content in notifications')).toBeChecked();
  await b.context.close();
});

test('a tab tells the server when it is hidden and shown again', async ({ browser, request }) => {
  const carol = await createUser(request, 'carol');
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  await signInContext(context, carol);
  const page = await context.newPage();
  const sent: string[] = [];
  // Socket.IO starts on long-polling and upgrades to a WebSocket: an event emitted before the
  // upgrade travels in a POST (several packets joined by a record separator), after it in a frame.
  page.on('websocket', (socket) => socket.on('framesent', ({ payload }) => sent.push(String(payload))));
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes('/socket.io/')) sent.push(...(request.postData() ?? '').split('\x1e'));
  });
  await page.goto('/');
  await expectOnline(page);
  const setVisibility = (state: 'hidden' | 'visible') =>
    page.evaluate((value) => {
      Object.defineProperty(document, 'visibilityState', { value, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  const visibilityFrames = () => sent.filter((frame) => frame.includes('"visibility"')).map((frame) => frame.slice(frame.indexOf('[')));
  await setVisibility('hidden');
  await expect.poll(visibilityFrames).toEqual(['["visibility",{"visible":false}]']);
  await setVisibility('visible');
  await expect.poll(visibilityFrames).toEqual(['["visibility",{"visible":false}]', '["visibility",{"visible":true}]']);
  await context.close();
});
