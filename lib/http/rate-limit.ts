// Spending rate-limiter-flexible budgets the same way on both sides of the Next bundle, and the
// client address that address-keyed budgets use.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../errors';

/** Set by the custom server from the connection (or X-Forwarded-For behind a trusted proxy). */
export const CLIENT_IP_HEADER = 'x-chat-client-ip';

/** The client's address as the custom server saw it. */
export function clientAddress(req: { headers: Headers }): string {
  return req.headers.get(CLIENT_IP_HEADER) ?? 'unknown';
}

/**
 * rate-limiter-flexible rejects a spent budget with a RateLimiterRes (a plain object carrying
 * `msBeforeNext`, not an Error) and a failing store with an Error. Told apart by shape: Next
 * bundles its own copy of the package, so `instanceof RateLimiterRes` fails in route handlers
 * for a limiter the custom server built.
 */
export function isBudgetSpent(rejection: unknown): rejection is { msBeforeNext: number } {
  return (
    typeof rejection === 'object' &&
    rejection !== null &&
    !(rejection instanceof Error) &&
    typeof (rejection as { msBeforeNext?: unknown }).msBeforeNext === 'number'
  );
}

/** Whole seconds until a spent budget allows another try (at least 1: `Retry-After` is an integer). */
export function retryAfterSeconds(msBeforeNext: number): number {
  return Math.max(1, Math.ceil(msBeforeNext / 1000));
}

export type LimitMessage = (retryAfterSec: number) => string;

const defaultMessage: LimitMessage = (seconds) => `Too many requests; try again in ${seconds} s.`;

/** Spends one point of a budget, or throws `rate_limited` carrying when to retry. */
export async function consume(limiter: RateLimiterAbstract, key: string, message: LimitMessage = defaultMessage): Promise<void> {
  await consumeAll([[limiter, key]], message);
}

/**
 * Spends one point of each budget (all of them, even when one is already spent). When any is
 * spent, throws `rate_limited` with the longest wait among them; a store failure is rethrown.
 */
export async function consumeAll(spends: ReadonlyArray<readonly [RateLimiterAbstract, string]>, message: LimitMessage = defaultMessage): Promise<void> {
  const results = await Promise.allSettled(spends.map(([limiter, key]) => limiter.consume(key)));
  let waitMs = -1;
  for (const result of results) {
    if (result.status === 'fulfilled') continue;
    if (!isBudgetSpent(result.reason)) throw result.reason;
    waitMs = Math.max(waitMs, result.reason.msBeforeNext);
  }
  if (waitMs < 0) return;
  const seconds = retryAfterSeconds(waitMs);
  throw new AppError('rate_limited', message(seconds), { retryAfterSec: seconds });
}
