// Screenshots of the main screens (light, dark, phone) as artifacts in test-results/screenshots,
// for people to look at; each also checks the screen shows what it should.
import { type Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { createUser, expectOnline, messageWithText, signInContext, type ChatUser } from './helpers';

const DIR = 'test-results/screenshots';

async function setTheScene(request: Parameters<typeof createUser>[0]) {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const carol = await createUser(request, 'carol');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const group = await alice.api.createConversation({ type: 'group', name: 'Launch crew', participantIds: [bob.id, carol.id] });
  await carol.api.sendMessage(group.id, 'Deploy is green, shipping at 5 🚀');

  const first = await bob.api.sendMessage(chat.id, 'Morning! Did you see the release notes?');
  await alice.api.sendMessage(chat.id, 'Yes, reading them now');
  await alice.api.sendMessage(chat.id, 'The new search is great: https://example.com/search');
  await bob.api.sendMessage(chat.id, 'Agreed, it finds everything', { replyTo: first.id });
  await bob.api.sendMessage(chat.id, 'Lunch at 12:30? We could go to the new place on the corner, they have a terrace and it is sunny today.');
  await alice.api.sendMessage(chat.id, 'Sounds good 👍');
  return { alice, bob, carol, chat, group };
}

async function open(page: Page, user: ChatUser, path: string) {
  await signInContext(page.context(), user);
  await page.goto(path);
  await expectOnline(page);
}

test('screenshots: desktop light and dark, phone list and conversation', async ({ browser, request }) => {
  const { alice, chat, group } = await setTheScene(request);

  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, colorScheme: scheme, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    // Layout shift while the chat loads (the sum Chrome reports as CLS).
    await page.addInitScript(() => {
      const w = window as unknown as { layoutShift: number };
      w.layoutShift = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) if (!entry.hadRecentInput) w.layoutShift += entry.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await open(page, alice, `/c/${chat.id}`);
    await expect(messageWithText(page, 'Sounds good 👍')).toBeVisible();
    await page.waitForTimeout(300);
    const shift = await page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift);
    console.log(`layout shift (${scheme}): ${shift}`);
    expect(shift).toBeLessThan(0.01);
    await expect(page.getByTestId('reply-quote')).toBeVisible();
    await page.screenshot({ path: `${DIR}/desktop-${scheme}.png` });
    await page.getByRole('button', { name: 'Conversation info' }).click();
    await page.screenshot({ path: `${DIR}/desktop-${scheme}-info.png` });

    // A group, replying to a message, with the message menu open.
    await page.getByTestId('conversation-item').filter({ hasText: 'Launch crew' }).click();
    const carols = messageWithText(page, 'Deploy is green, shipping at 5 🚀');
    await carols.hover();
    await carols.getByRole('button', { name: 'Message actions' }).click();
    await page.getByRole('menuitem', { name: 'Reply', exact: true }).click();
    await carols.hover();
    await carols.getByRole('button', { name: 'Message actions' }).click();
    await expect(page.getByRole('menu')).toBeVisible();
    await page.screenshot({ path: `${DIR}/desktop-${scheme}-group.png` });
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.getByRole('tab', { name: 'New group' }).click();
    await expect(page.getByTestId('user-option').first()).toBeVisible();
    await page.screenshot({ path: `${DIR}/desktop-${scheme}-new-group.png` });
    await context.close();
  }

  const phone = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const page = await phone.newPage();
  await open(page, alice, '/');
  await expect(page.getByTestId('conversation-item')).toHaveCount(2);
  await expect(page.getByRole('main')).toBeHidden();
  await page.screenshot({ path: `${DIR}/phone-list.png` });
  await page.getByTestId('conversation-item').filter({ hasText: 'Sounds good' }).click();
  await expect(messageWithText(page, 'Sounds good 👍')).toBeVisible();
  // One pane at a time: the list is gone while a conversation is open.
  await expect(page.getByRole('navigation', { name: 'Conversations' })).toBeHidden();
  await page.screenshot({ path: `${DIR}/phone-conversation.png` });
  await page.getByRole('button', { name: 'Back to conversations' }).click();
  await expect(page.getByRole('navigation', { name: 'Conversations' })).toBeVisible();
  await phone.close();

  const darkPhone = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    colorScheme: 'dark',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const dark = await darkPhone.newPage();
  await open(dark, alice, `/c/${group.id}`);
  await expect(messageWithText(dark, 'Deploy is green, shipping at 5 🚀')).toBeVisible();
  await dark.screenshot({ path: `${DIR}/phone-dark-group.png` });
  await darkPhone.close();
});
