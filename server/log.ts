import pino, { type Logger } from 'pino';

/** Structured JSON logs. Message text and tokens are never logged (STYLE.md). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'huzhu-board' }, redact: ['req.headers.cookie', 'token'] });
}
