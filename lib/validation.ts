// Parsing untrusted input against a zod schema, shared by REST routes and socket handlers.
import type { z } from 'zod';
import { AppError } from './errors';

/** Validates input; the first problem becomes a bad_request with a readable message. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new AppError('bad_request', describeZodError(result.error));
  return result.data;
}

export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'The request is not valid.';
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}
