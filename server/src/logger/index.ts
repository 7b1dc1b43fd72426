import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * The one logger; modules take `logger.child({ module })`. Secrets never reach a log line.
 * @param destination where the JSON lines go. @default standard output
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'refreshToken', '*.refreshToken', 'req.headers.authorization'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
