import { describe, expect, it } from 'vitest';
import { AppError, ERROR_TABLE, statusOf, toErrorBody } from '@/lib/errors';

describe('AppError', () => {
  it('maps each code to its status through the one table', () => {
    expect(new AppError('not_found').status).toBe(404);
    expect(new AppError('conflict', 'taken').message).toBe('taken');
    expect(statusOf(new AppError('rate_limited'))).toBe(429);
    for (const [code, entry] of Object.entries(ERROR_TABLE)) {
      expect(new AppError(code as keyof typeof ERROR_TABLE).status).toBe(entry.status);
    }
  });

  it('turns unknown errors into a generic message that leaks nothing', () => {
    const body = toErrorBody(new Error('duplicate key value violates unique constraint "User_pkey"'));
    expect(body).toEqual({ code: 'internal', message: ERROR_TABLE.internal.message });
    expect(statusOf(new TypeError('x'))).toBe(500);
  });
});
