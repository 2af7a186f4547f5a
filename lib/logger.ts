// Structured logging (pino). Secrets are redacted by path as a second line of defence; the first
// is never passing them to the logger.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = 'info'): Logger {
  return pino({
    level,
    base: { pid: process.pid },
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authSecret', '*.authSecret', 'headers.authorization', 'headers.cookie'],
      censor: '[redacted]',
    },
  });
}
