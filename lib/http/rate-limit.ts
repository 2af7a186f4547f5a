// Slows down password guessing and sign-up floods: a budget per client address and key.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { NextRequest } from 'next/server';
import type { AppContext } from '../context';
import { AppError } from '../errors';

/** Set by the custom server from the connection (or X-Forwarded-For behind a trusted proxy). */
export const CLIENT_IP_HEADER = 'x-chat-client-ip';

export async function consumeAuthAttempt(ctx: AppContext, req: NextRequest, key: string): Promise<void> {
  const address = req.headers.get(CLIENT_IP_HEADER) ?? 'unknown';
  await consume(ctx.authLimiter, `${address}|${key}`);
}

export async function consume(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new AppError('rate_limited');
    throw error;
  }
}
