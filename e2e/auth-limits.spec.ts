// The sign-in budget against the production build served by its own process (the shared e2e
// server allows 10 000 attempts a minute): default budget of 20 per account, 30 per address.
// Each test signs in "from" its own addresses (X-Forwarded-For, trusted here), so budgets do not
// mix between tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { request as playwrightRequest, type APIRequestContext, type APIResponse } from '@playwright/test';
import { expect, test } from './fixtures';
import { uniqueUser } from './helpers';

const PER_ACCOUNT = 20;
const PER_ADDRESS = 30;
const ROOT = path.resolve(import.meta.dirname, '..');

let server: ChildProcess;
let origin: string;
let dataDir: string;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  dataDir = `data-e2e-auth-limits-${port}`;
  server = spawn('npx', ['tsx', 'server/index.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      NEXTAUTH_URL: origin,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      AUTH_RATE_LIMIT_PER_MINUTE: String(PER_ACCOUNT),
      AUTH_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: String(PER_ADDRESS),
      TRUST_PROXY: 'true',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  });
  await waitUntilServing(`${origin}/login`, 120_000);
});

test.afterAll(async () => {
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    process.kill(-server.pid, 'SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(path.join(ROOT, dataDir), { recursive: true, force: true });
});

let addresses = 0;
function newAddress(): string {
  addresses += 1;
  return `203.0.113.${addresses}`;
}

/** An API client whose requests come "from" one address. */
function clientFrom(address: string): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL: origin, extraHTTPHeaders: { 'x-forwarded-for': address } });
}

async function registerAccount(): Promise<ReturnType<typeof uniqueUser>> {
  const user = uniqueUser('limit');
  const api = await clientFrom(newAddress());
  const response = await api.post('/api/auth/register', { data: { email: user.email, username: user.username, password: user.password, name: user.name } });
  expect(response.status()).toBe(201);
  await api.dispose();
  return user;
}

/** One attempt through next-auth's credentials callback, as the login page makes it. */
async function callback(api: APIRequestContext, identifier: string, password: string): Promise<APIResponse> {
  const { csrfToken } = (await (await api.get('/api/auth/csrf')).json()) as { csrfToken: string };
  return api.post('/api/auth/callback/credentials', { form: { csrfToken, identifier, password, json: 'true' }, headers: { origin } });
}

function expectRateLimited(response: APIResponse) {
  expect(response.status()).toBe(429);
  const seconds = Number(response.headers()['retry-after']);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
}

test('the 21st attempt answers 429 with Retry-After, never 500: token, register and the credentials callback', async () => {
  test.setTimeout(120_000);
  const user = await registerAccount();
  const api = await clientFrom(newAddress());
  const statuses: number[] = [];
  for (let i = 0; i < PER_ACCOUNT; i++) {
    const attempt = i % 2 ? callback(api, user.email, 'wrong password') : api.post('/api/auth/token', { data: { username: user.username, password: 'wrong password' } });
    statuses.push((await attempt).status());
  }
  expect(statuses).toEqual(Array(PER_ACCOUNT).fill(401));
  expectRateLimited(await api.post('/api/auth/token', { data: { username: user.username, password: user.password } }));
  expectRateLimited(await callback(api, user.username, user.password));

  const signUps = await clientFrom(newAddress());
  for (let i = 0; i < PER_ACCOUNT; i++) {
    expect((await signUps.post('/api/auth/register', { data: { email: 'x@example.test', username: 'x', password: 'short' } })).status()).toBe(400);
  }
  const late = uniqueUser('late');
  expectRateLimited(await signUps.post('/api/auth/register', { data: { email: late.email, username: late.username, password: late.password } }));
  await Promise.all([api.dispose(), signUps.dispose()]);
});

test('one address guessing across many accounts is limited in total', async () => {
  test.setTimeout(120_000);
  const api = await clientFrom(newAddress());
  for (let i = 0; i < PER_ADDRESS; i++) {
    expect((await api.post('/api/auth/token', { data: { username: uniqueUser('spray').username, password: 'guess' } })).status()).toBe(401);
  }
  expectRateLimited(await callback(api, uniqueUser('spray').username, 'guess'));
  await api.dispose();
});

test('the login page says when to try again once the budget is spent', async ({ browser }) => {
  test.setTimeout(120_000);
  const user = await registerAccount();
  // The account's budget, spent from elsewhere by username and by email, all but one attempt.
  for (let i = 0; i < PER_ACCOUNT - 1; i++) {
    const api = await clientFrom(newAddress());
    await api.post('/api/auth/token', { data: i % 2 ? { email: user.email, password: 'wrong' } : { username: user.username, password: 'wrong' } });
    await api.dispose();
  }
  const context = await browser.newContext({ baseURL: origin, extraHTTPHeaders: { 'x-forwarded-for': newAddress() } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Email or username').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill('still wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('form-error')).toHaveText('Wrong email, username or password.');

  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('form-error')).toHaveText(/^Too many attempts, try again in \d+ s\.$/);
  await expect(page).toHaveURL(/\/login/);
  await context.close();
});
