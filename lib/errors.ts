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
  payload_too_large: { status: 413, message: 'The file is too large.' },
  unsupported_media_type: { status: 415, message: 'That file type is not allowed.' },
  rate_limited: { status: 429, message: 'Too many requests; slow down.' },
  unavailable: { status: 503, message: 'The service is not ready.' },
  internal: { status: 500, message: 'Something went wrong.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_TABLE;

export type ErrorBody = { code: ErrorCode; message: string };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message?: string) {
    super(message ?? ERROR_TABLE[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_TABLE[code].status;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/**
 * What a client may see of any error: an AppError as it is, anything else as a generic
 * internal error (the cause is for the log, not the client).
 */
export function toErrorBody(error: unknown): ErrorBody {
  if (isAppError(error)) return { code: error.code, message: error.message };
  return { code: 'internal', message: ERROR_TABLE.internal.message };
}

export function statusOf(error: unknown): number {
  return isAppError(error) ? error.status : 500;
}
