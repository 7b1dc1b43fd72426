import { pino, type Logger } from 'pino';

export type { Logger };

/** The one logger; modules take `logger.child({ module })`. Secrets never reach a log line. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'refreshToken', '*.refreshToken', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  });
}
