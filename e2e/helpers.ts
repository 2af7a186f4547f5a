import { randomUUID } from 'node:crypto';
import { expect, type APIRequestContext, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from '@playwright/test';
import type { ConversationDto, MessageDto, UserDto } from '../lib/protocol';

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

// ---------------------------------------------------------------------------------------------
// Chat tests: users made through the API, browsers signed in without typing, a bearer-token API
// client for setting the scene quickly (creating conversations, sending many messages).

/** A REST client authenticated with a bearer token from POST /api/auth/token. */
export class ChatApi {
  constructor(
    private readonly request: APIRequestContext,
    readonly token: string,
  ) {}

  private headers() {
    return { authorization: `Bearer ${this.token}` };
  }

  async createConversation(input: { type: 'private' | 'group'; name?: string; participantIds: string[] }): Promise<ConversationDto> {
    const response = await this.request.post('/api/conversations', { headers: this.headers(), data: input });
    expect(response.ok(), await response.text()).toBeTruthy();
    return ((await response.json()) as { conversation: ConversationDto }).conversation;
  }

  async sendMessage(conversationId: string, content: string, extra: { replyTo?: string; clientId?: string } = {}): Promise<MessageDto> {
    const response = await this.request.post(`/api/conversations/${conversationId}/messages`, { headers: this.headers(), data: { content, ...extra } });
    expect(response.ok(), await response.text()).toBeTruthy();
    return ((await response.json()) as { message: MessageDto }).message;
  }
}

export type ChatUser = TestUser & { id: string; api: ChatApi };

/**
 * Sends through the API as a well-behaved script does: when the user's send budget is spent
 * (429), waits as long as Retry-After says and sends again; a connection dropped on the way (a
 * kept-alive socket the server closed during the wait) is sent again too, under the same
 * clientId, so it can never make two messages. For scenes that need many messages.
 */
export async function sendWithinBudget(
  request: APIRequestContext,
  user: ChatUser,
  conversationId: string,
  content: string,
  extra: { replyTo?: string } = {},
): Promise<MessageDto> {
  const clientId = randomUUID();
  for (let dropped = 0; ; ) {
    const response = await request
      .post(`/api/conversations/${conversationId}/messages`, {
        headers: { authorization: `Bearer ${user.api.token}` },
        data: { content, clientId, ...extra },
      })
      .catch((error: Error) => {
        if (!/ECONNRESET|socket hang up/.test(error.message) || (dropped += 1) > 3) throw error;
        return null;
      });
    if (!response) continue;
    if (response.status() === 429) {
      const seconds = Number(response.headers()['retry-after'] ?? '1');
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      continue;
    }
    expect(response.ok(), await response.text()).toBeTruthy();
    return ((await response.json()) as { message: MessageDto }).message;
  }
}

/** Registers a user through the API and gets them a bearer token. */
export async function createUser(request: APIRequestContext, prefix: string): Promise<ChatUser> {
  const user = uniqueUser(prefix);
  const registered = await request.post('/api/auth/register', { data: { email: user.email, username: user.username, password: user.password, name: user.name } });
  expect(registered.status(), await registered.text()).toBe(201);
  const tokenResponse = await request.post('/api/auth/token', { data: { username: user.username, password: user.password } });
  expect(tokenResponse.ok()).toBeTruthy();
  const { token, user: dto } = (await tokenResponse.json()) as { token: string; user: UserDto };
  return { ...user, id: dto.id, api: new ChatApi(request, token) };
}

/** Signs a browser context in through next-auth's credentials endpoint (the session cookie lands in the context). */
export async function signInContext(context: BrowserContext, user: TestUser): Promise<void> {
  const csrf = await context.request.get('/api/auth/csrf');
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await context.request.post('/api/auth/callback/credentials', {
    form: { csrfToken, identifier: user.username, password: user.password, json: 'true' },
  });
  expect(response.ok()).toBeTruthy();
  const cookies = await context.cookies();
  expect(cookies.some((c) => c.name.includes('session-token'))).toBeTruthy();
}

/** A new browser context signed in as the user, with one page open at `path`, live connection up. */
export async function openChat(browser: Browser, user: TestUser, path = '/', options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ baseURL: baseUrl(), ...options });
  await signInContext(context, user);
  const page = await context.newPage();
  await page.goto(path);
  await expect(page.getByTestId('current-user')).toHaveText(user.name);
  await expectOnline(page);
  return { context, page };
}

/** The live connection is up (the chat root says so). */
export async function expectOnline(page: Page) {
  await expect(page.getByTestId('chat-app')).toHaveAttribute('data-connection', 'online');
}

function baseUrl(): string {
  return `http://127.0.0.1:${process.env.E2E_PORT ?? 3210}`;
}

export function conversationItem(page: Page, title: string) {
  return page.getByTestId('conversation-item').filter({ has: page.getByTestId('conversation-title').getByText(title, { exact: true }) });
}

export function messages(page: Page) {
  return page.getByTestId('message');
}

export function messageWithText(page: Page, text: string) {
  return page.getByTestId('message').filter({ has: page.getByTestId('message-text').getByText(text, { exact: true }) });
}

/** Types and sends a message with the composer (Enter). */
export async function sendFromComposer(page: Page, text: string) {
  const composer = page.getByRole('textbox', { name: /^Message / });
  await composer.fill(text);
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
}

/**
 * Picks a person in a people search (New conversation, Add member) once the results are those of
 * the typed username, which is unique: only that person is listed. Clicking while the list of an
 * earlier query is replaced can land between two renders and be lost.
 */
export async function pickUser(scope: Page | Locator, user: { username: string; name: string }) {
  await scope.getByRole('searchbox', { name: 'Search people' }).fill(user.username);
  const options = scope.getByTestId('user-option');
  await expect(options).toHaveCount(1);
  await options.filter({ hasText: user.name }).click();
}
