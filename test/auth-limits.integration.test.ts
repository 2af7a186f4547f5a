// The sign-in budget against the production build through real HTTP: route handlers run from
// Next's bundle (its own copy of rate-limiter-flexible and of lib/errors), apart from the custom
// server that built the limiters. Every path that checks a password spends one budget per account
// (whatever identifier was typed) and one per client address in total; a spent budget answers 429
// with Retry-After, never 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server';
import { TEST_PASSWORD, uniqueName } from './helpers/factories';

const PER_ACCOUNT = 20;
const PER_ADDRESS = 30;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    env: {
      AUTH_RATE_LIMIT_PER_MINUTE: String(PER_ACCOUNT),
      AUTH_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: String(PER_ADDRESS),
      // Each test signs in "from" its own address, so the address budgets do not mix.
      TRUST_PROXY: 'true',
    },
  });
});
afterAll(async () => {
  await server?.close();
});

let addresses = 0;
function newAddress(): string {
  addresses += 1;
  return `198.51.100.${addresses}`;
}

type Answer = { status: number; retryAfter: string | null; body: Record<string, unknown> | null };

async function answer(response: Response): Promise<Answer> {
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
}

function postJsonFrom(address: string, path: string, body: unknown): Promise<Answer> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify(body),
  }).then(answer);
}

const token = (address: string, credentials: Record<string, string>) => postJsonFrom(address, '/api/auth/token', credentials);

/** One attempt through next-auth's credentials callback, as the login page makes it. */
async function callback(address: string, identifier: string, password: string): Promise<Answer> {
  const csrf = await fetch(`${server.url}/api/auth/csrf`, { headers: { 'x-forwarded-for': address } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const response = await fetch(`${server.url}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-forwarded-for': address },
    body: new URLSearchParams({ csrfToken, identifier, password, json: 'true' }),
  });
  return answer(response);
}

async function registerAccount(address = newAddress()) {
  const username = uniqueName('lim');
  const email = `${username}@example.test`;
  const registered = await postJsonFrom(address, '/api/auth/register', { email, username, password: TEST_PASSWORD });
  expect(registered.status).toBe(201);
  return { username, email };
}

function expectRateLimited(result: Answer) {
  expect(result.status).toBe(429);
  const seconds = Number(result.retryAfter);
  expect(Number.isInteger(seconds)).toBe(true);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(60);
}

describe('sign-in budget (production build)', () => {
  it('answers the 21st /api/auth/token attempt with 429 and Retry-After, the right password included', async () => {
    const { username } = await registerAccount();
    const address = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < PER_ACCOUNT; i++) statuses.push((await token(address, { username, password: 'wrong password' })).status);
    expect(statuses).toEqual(Array(PER_ACCOUNT).fill(401));
    const limited = await token(address, { username, password: TEST_PASSWORD });
    expectRateLimited(limited);
    expect(limited.body).toMatchObject({ error: { code: 'rate_limited', message: expect.stringMatching(/^Too many attempts, try again in \d+ s\.$/) } });
  });

  it('answers the 21st /api/auth/register from one address with 429 and Retry-After', async () => {
    const address = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < PER_ACCOUNT; i++) {
      statuses.push((await postJsonFrom(address, '/api/auth/register', { email: 'x@example.test', username: 'x', password: 'short' })).status);
    }
    expect(statuses).toEqual(Array(PER_ACCOUNT).fill(400));
    const username = uniqueName('late');
    expectRateLimited(await postJsonFrom(address, '/api/auth/register', { email: `${username}@example.test`, username, password: TEST_PASSWORD }));
  });

  it('answers the 21st next-auth credentials callback with 429, Retry-After and an error the login page can show', async () => {
    const { username } = await registerAccount();
    const address = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < PER_ACCOUNT; i++) statuses.push((await callback(address, username, 'wrong password')).status);
    expect(statuses).toEqual(Array(PER_ACCOUNT).fill(401));
    const limited = await callback(address, username, TEST_PASSWORD);
    expectRateLimited(limited);
    // next-auth's signIn() reads `error` from the url it is given.
    const error = new URL(String(limited.body?.url)).searchParams.get('error');
    expect(error).toMatch(/^Too many attempts, try again in \d+ s\.$/);
  });

  it('spends one budget per account whichever identifier, path and address is used', async () => {
    const { username, email } = await registerAccount();
    const statuses: number[] = [];
    for (let i = 0; i < PER_ACCOUNT / 2; i++) {
      statuses.push((await token(newAddress(), { email: email.toUpperCase(), password: 'wrong password' })).status);
      statuses.push((await callback(newAddress(), ` ${username} `, 'wrong password')).status);
    }
    expect(statuses).toEqual(Array(PER_ACCOUNT).fill(401));
    expectRateLimited(await token(newAddress(), { username, password: TEST_PASSWORD }));
    expectRateLimited(await callback(newAddress(), email, TEST_PASSWORD));
  });

  it('limits one address spraying across many accounts, and not the others', async () => {
    const address = newAddress();
    const statuses: number[] = [];
    for (let i = 0; i < PER_ADDRESS; i++) {
      const attempt = i % 2 ? token(address, { username: uniqueName('spray'), password: 'guess' }) : callback(address, uniqueName('spray'), 'guess');
      statuses.push((await attempt).status);
    }
    expect(statuses).toEqual(Array(PER_ADDRESS).fill(401));
    expectRateLimited(await token(address, { username: uniqueName('spray'), password: 'guess' }));
    expectRateLimited(await callback(address, uniqueName('spray'), 'guess'));
    expect((await token(newAddress(), { username: uniqueName('spray'), password: 'guess' })).status).toBe(401);
  });
});
