// One error type for the whole app, and one table from its code to the HTTP status and the
// message a client sees. Socket acknowledgements carry the same code.

export const ERROR_TABLE = {
  bad_request: { status: 400, message: 'The request is not valid.' },
  unauthorized: { status: 401, message: 'Sign in to continue.' },
  invalid_credentials: { status: 401, message: 'Wrong email, username or password.' },
  forbidden: { status: 403, message: 'You may not do that.' },
  not_found: { status: 404, message: 'Not found.' },
  conflict: { status: 409, message: 'That conflicts with existing data.' },
  edit_window_passed: { status: 409, message: 'Messages can only be edited within 15 minutes.' },
  /** Existed once and does not work any more (an expired, used-up or revoked invite link). */
  gone: { status: 410, message: 'That is no longer available.' },
  payload_too_large: { status: 413, message: 'The file is too large.' },
  unsupported_media_type: { status: 415, message: 'That file type is not allowed.' },
  rate_limited: { status: 429, message: 'Too many requests; slow down.' },
  unavailable: { status: 503, message: 'The service is not ready.' },
  internal: { status: 500, message: 'Something went wrong.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_TABLE;

/** `retryAfterSec` comes with `rate_limited`: when the spent budget allows another try. */
export type ErrorBody = { code: ErrorCode; message: string; retryAfterSec?: number };

/**
 * Marks an AppError by a registered symbol rather than by its class: Next bundles route handlers
 * with their own copy of this module, so an AppError thrown on one side of the bundle (the
 * custom server's storage, notifier or limiters) fails `instanceof` on the other.
 */
const APP_ERROR = Symbol.for('parley.AppError');

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** For `rate_limited`: seconds until the budget allows another try (REST `Retry-After`). */
  retryAfterSec?: number;

  constructor(code: ErrorCode, message?: string, options: { retryAfterSec?: number } = {}) {
    super(message ?? ERROR_TABLE[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_TABLE[code].status;
    if (options.retryAfterSec !== undefined) this.retryAfterSec = options.retryAfterSec;
    Object.defineProperty(this, APP_ERROR, { value: true });
  }
}

/** An AppError from either copy of this module (see APP_ERROR). */
export function isAppError(error: unknown): error is AppError {
  if (typeof error !== 'object' || error === null) return false;
  const branded = error as { [APP_ERROR]?: unknown; code?: unknown };
  return branded[APP_ERROR] === true && typeof branded.code === 'string' && Object.hasOwn(ERROR_TABLE, branded.code);
}

/**
 * What a client may see of any error: an AppError as it is, anything else as a generic
 * internal error (the cause is for the log, not the client).
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (!isAppError(error)) return { code: 'internal', message: ERROR_TABLE.internal.message };
  const body: ErrorBody = { code: error.code, message: error.message };
  if (typeof error.retryAfterSec === 'number') body.retryAfterSec = error.retryAfterSec;
  return body;
}

export function statusOf(error: unknown): number {
  return isAppError(error) ? error.status : 500;
}
