// Next bundles route handlers with their own copies of lib/errors.ts and rate-limiter-flexible,
// apart from the custom server's. Two copies of a module are made here the same way (a fresh
// module graph), and each side must still recognise what the other throws.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { describe, expect, it, vi } from 'vitest';
import { AppError, isAppError, statusOf, toErrorBody } from '@/lib/errors';
import type * as Errors from '@/lib/errors';
import { consume, isBudgetSpent } from '@/lib/http/rate-limit';

async function otherCopyOfErrors(): Promise<typeof Errors> {
  vi.resetModules();
  return import('@/lib/errors');
}

describe('errors across two copies of lib/errors.ts', () => {
  it('recognises an AppError made by the other copy, with its status and retry time', async () => {
    const other = await otherCopyOfErrors();
    expect(other.AppError).not.toBe(AppError);
    const error = new other.AppError('rate_limited', 'slow down', { retryAfterSec: 7 });
    expect(error instanceof AppError).toBe(false);
    expect(isAppError(error)).toBe(true);
    expect(statusOf(error)).toBe(429);
    expect(toErrorBody(error)).toEqual({ code: 'rate_limited', message: 'slow down', retryAfterSec: 7 });
    expect(other.isAppError(new AppError('not_found'))).toBe(true);
  });

  it('does not take any error with a known code for one', () => {
    expect(isAppError(Object.assign(new Error('x'), { code: 'not_found', status: 404 }))).toBe(false);
    expect(statusOf({ code: 'not_found' })).toBe(500);
  });
});

describe('consume', () => {
  it('turns a spent budget into rate_limited with whole seconds to wait, and lets store errors through', async () => {
    const limiter = new RateLimiterMemory({ points: 1, duration: 30 });
    await consume(limiter, 'k');
    const refused = await consume(limiter, 'k').catch((error: unknown) => error);
    expect(isAppError(refused)).toBe(true);
    expect(refused).toMatchObject({ code: 'rate_limited' });
    expect((refused as AppError).retryAfterSec).toBeGreaterThanOrEqual(29);
    expect((refused as AppError).retryAfterSec).toBeLessThanOrEqual(30);

    const broken = new RateLimiterMemory({ points: 1, duration: 30 });
    broken.consume = () => Promise.reject(new Error('store down'));
    await expect(consume(broken, 'k')).rejects.toThrow('store down');
  });

  it('recognises a rejection by its shape, whichever copy of the package made it', () => {
    expect(isBudgetSpent({ msBeforeNext: 1000, remainingPoints: 0 })).toBe(true);
    expect(isBudgetSpent(Object.assign(new Error('x'), { msBeforeNext: 1 }))).toBe(false);
    expect(isBudgetSpent(null)).toBe(false);
  });
});
