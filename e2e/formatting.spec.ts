import { expect, test } from './fixtures';
import { createUser, messageWithText, openChat } from './helpers';

test('Markdown renders as formatting, HTML stays text, and a long paste is kept whole with a counter instead of being cut', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const chat = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  const a = await openChat(browser, alice, `/c/${chat.id}`);
  const b = await openChat(browser, bob, `/c/${chat.id}`);

  const composer = a.page.getByRole('textbox', { name: /^Message / });
  // Shift+Enter makes the new lines a Markdown list and code block need.
  await composer.fill('**bold** _italic_ ~~gone~~ `code` [site](https://example.com/docs) [bad](javascript:alert(1))');
  for (const line of ['> quoted', '- first', '- second', '```', 'const x = 1 < 2;', '```']) {
    await composer.press('Shift+Enter');
    await composer.pressSequentially(line);
  }
  await composer.press('Enter');

  const message = b.page.getByTestId('message').last();
  await expect(message.locator('strong')).toHaveText('bold');
  await expect(message.locator('em')).toHaveText('italic');
  await expect(message.locator('del')).toHaveText('gone');
  await expect(message.locator('p code')).toHaveText('code');
  await expect(message.getByRole('link', { name: 'site' })).toHaveAttribute('href', 'https://example.com/docs');
  await expect(message.getByText('bad')).toBeVisible();
  await expect(message.locator('a', { hasText: 'bad' })).toHaveCount(0);
  await expect(message.locator('blockquote')).toHaveText('quoted');
  await expect(message.locator('ul > li')).toHaveText(['first', 'second']);
  const code = message.getByTestId('code-block');
  await expect(code).toHaveText('const x = 1 < 2;');
  await expect(code).toHaveCSS('font-family', /mono/i);

  // HTML typed by a user is shown as text, never interpreted.
  await alice.api.sendMessage(chat.id, '<b>not bold</b> <img src=x onerror="document.title=1">');
  const html = messageWithText(b.page, '<b>not bold</b> <img src=x onerror="document.title=1">');
  await expect(html).toBeVisible();
  await expect(html.locator('b, img')).toHaveCount(0);

  // 11 600 characters pasted: all kept, a counter says how many too many, sending waits.
  const long = 'x'.repeat(11_600);
  await composer.fill(long);
  await expect(composer).toHaveValue(long);
  await expect(a.page.getByTestId('character-counter')).toContainText('11,600 / 10,000');
  await expect(a.page.getByTestId('character-counter')).toContainText('1,600 too many');
  await expect(a.page.getByRole('button', { name: 'Send' })).toBeDisabled();
  await composer.press('Enter');
  await expect(composer).toHaveValue(long);
  // Cut to the limit by the writer: it sends, whole.
  await composer.fill('y'.repeat(10_000));
  await expect(a.page.getByTestId('character-counter')).toContainText('10,000 / 10,000');
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
  await expect(b.page.getByTestId('message-text').last()).toHaveText('y'.repeat(10_000));

  await a.context.close();
  await b.context.close();
});
