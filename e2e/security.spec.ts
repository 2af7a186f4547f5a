// The attacks of issue 11 replayed in Chromium against the production build: a page of another
// origin on the same host (another loopback port: the same site, so the browser sends the session
// cookie) tries to post as the signed-in victim and to open the victim's live socket, and to frame
// the app. All refused; the app's own pages still post, connect and sign out, with the CSP on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIRequestContext } from '@playwright/test';
import { expect, test } from './fixtures';
import { createUser, expectOnline, messageWithText, openChat, sendFromComposer, signInContext, type ChatUser } from './helpers';

const APP = `http://127.0.0.1:${process.env.E2E_PORT ?? 3210}`;

/** The attacker's pages, served from another port. */
function attackerPage(conversationId: string): string {
  const target = `${APP}/api/conversations/${conversationId}/messages`;
  return `<!doctype html><html><body>
<form id="forged" method="POST" action="${target}" enctype="text/plain">
  <input name='{"content":"forged by form","x":"' value='"}'>
</form>
<iframe id="framed" src="${APP}/login" width="400" height="300"></iframe>
<script>
  window.socketFrames = [];
  window.socketDone = new Promise((resolve) => {
    const ws = new WebSocket('${APP.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket');
    ws.onmessage = (event) => {
      window.socketFrames.push(String(event.data));
      if (String(event.data).startsWith('0{')) ws.send('40/chat,');
      if (String(event.data).startsWith('4')) { resolve(window.socketFrames); ws.close(); }
    };
    ws.onclose = () => resolve(window.socketFrames);
    ws.onerror = () => resolve(window.socketFrames);
  });
  window.fetchDone = fetch('${target}', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ content: 'forged by fetch' }) })
    .then(() => 'sent', (error) => String(error));
</script>
</body></html>`;
}

let attacker: Server;
let attackerOrigin: string;
let attackHtml = '';

test.beforeAll(async () => {
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(attackHtml);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise((resolve) => attacker?.close(resolve));
});

async function contents(user: ChatUser, conversationId: string, request: APIRequestContext): Promise<string[]> {
  const response = await request.get(`/api/conversations/${conversationId}/messages`, { headers: { authorization: `Bearer ${user.api.token}` } });
  expect(response.ok()).toBeTruthy();
  return ((await response.json()) as { messages: { content: string }[] }).messages.map((message) => message.content);
}

test('a page of another origin cannot post as the signed-in victim, read their socket, or frame the app', async ({ browser, request, cspViolations }) => {
  const alice = await createUser(request, 'victim');
  const bob = await createUser(request, 'friend');
  const conversation = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  await alice.api.sendMessage(conversation.id, 'before the attack');
  attackHtml = attackerPage(conversation.id);

  const context = await browser.newContext();
  await signInContext(context, alice);
  const victim = await context.newPage();
  await victim.goto(`${attackerOrigin}/attack.html`);

  // The raw WebSocket reaches the server with the victim's cookie, and is told "unauthorized".
  const frames = (await victim.evaluate('window.socketDone')) as string[];
  expect(frames[0]).toMatch(/^0\{/);
  expect(frames.at(-1)).toBe('44/chat,{"message":"unauthorized"}');
  expect(frames.some((frame) => frame.startsWith('40/chat,{'))).toBe(false);

  // The no-cors fetch goes out (the attacker cannot read its answer); the form posts, answered 403.
  expect(await victim.evaluate('window.fetchDone')).toBe('sent');
  const formAnswer = victim.waitForResponse((response) => response.url().endsWith(`/api/conversations/${conversation.id}/messages`) && response.request().method() === 'POST');
  await victim.locator('#forged').evaluate((form: HTMLFormElement) => form.submit());
  expect((await formAnswer).status()).toBe(403);
  // The form's navigation lands before the next one starts (else that goto is interrupted).
  await victim.waitForURL((url) => url.pathname.endsWith(`/api/conversations/${conversation.id}/messages`));
  expect(await contents(alice, conversation.id, request)).toEqual(['before the attack']);

  // Framing is refused by frame-ancestors: the frame holds no page of the app. Chromium reports
  // it as a CSP violation, the one this test expects; nothing else may be reported.
  await victim.goto(`${attackerOrigin}/attack.html`);
  await expect.poll(() => cspViolations.filter((line) => /frame-ancestors/.test(line)).length).toBeGreaterThan(0);
  for (const frame of victim.frames().filter((frame) => frame !== victim.mainFrame())) {
    expect(await frame.locator('input').count()).toBe(0);
  }
  cspViolations.splice(0, cspViolations.length, ...cspViolations.filter((line) => !/frame-ancestors/.test(line)));
  await context.close();
});

test('the app\'s own pages still post, connect and sign out, with its headers on', async ({ browser, request }) => {
  const alice = await createUser(request, 'alice');
  const bob = await createUser(request, 'bob');
  const conversation = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });

  const { context, page: chat } = await openChat(browser, alice, `/c/${conversation.id}`);
  await sendFromComposer(chat, 'sent from our own page');
  await expect(messageWithText(chat, 'sent from our own page')).toBeVisible();
  await expectOnline(chat);
  expect(await contents(bob, conversation.id, request)).toContain('sent from our own page');

  // The page's headers: a CSP whose nonce is on every script the page has.
  const response = await chat.goto(`/c/${conversation.id}`);
  const headers = response!.headers();
  const policy = headers['content-security-policy']!;
  expect(policy).toContain("frame-ancestors 'self'");
  expect(policy).toContain("object-src 'none'");
  const nonce = /'nonce-([^']+)'/.exec(policy)![1];
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  // Served over http here: no HSTS.
  expect(headers['strict-transport-security']).toBeUndefined();
  const scripts = await chat.locator('script').evaluateAll((elements) => elements.map((element) => (element as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  expect(scripts.every((value) => value === nonce)).toBe(true);
  await expectOnline(chat);

  // next-auth's sign-out posts from our page and is taken.
  await chat.getByRole('button', { name: 'Sign out' }).click();
  await expect(chat).toHaveURL(/\/login/);
  await context.close();
});

test('bearer clients are unaffected, and an oversized JSON body is refused at once', async ({ request }) => {
  const alice = await createUser(request, 'bot');
  const bob = await createUser(request, 'human');
  const conversation = await alice.api.createConversation({ type: 'private', participantIds: [bob.id] });
  // Playwright's request client sends no Origin, like any script.
  await alice.api.sendMessage(conversation.id, 'from a bot');
  expect(await contents(bob, conversation.id, request)).toEqual(['from a bot']);

  const started = Date.now();
  const big = await request.post('/api/auth/token', { headers: { 'content-type': 'application/json' }, data: `{"username":"${'x'.repeat(2_000_000)}"}` });
  expect(big.status()).toBe(413);
  expect(Date.now() - started).toBeLessThan(3000);
  expect(((await big.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
});
