// Structured logging (pino). Secrets are redacted by path as a second line of defence; the first
// is never passing them to the logger. A line written while a request or socket event is handled
// carries that request's id (lib/observability/request-scope.ts).
import pino, { type DestinationStream, type Logger } from 'pino';
import { currentLogScope } from './observability/request-scope';

export type { Logger };

/** `destination`: where lines go (stdout by default). */
export function createLogger(level: string = 'info', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { pid: process.pid },
    mixin: () => currentLogScope() ?? {},
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authSecret', '*.authSecret', 'headers.authorization', 'headers.cookie'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
