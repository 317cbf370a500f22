import type { SessionLogger } from './types.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** Whether a logger takes its fields first and its message second, as pino does. */
function isObjectFirst(logger: object): boolean {
  // pino's own marks: a `levels.values` table and `child()`. (console and winston take the
  // message first.)
  const levels = (logger as { levels?: { values?: unknown } }).levels;
  return (
    typeof levels === 'object' &&
    levels !== null &&
    typeof levels.values === 'object' &&
    typeof (logger as { child?: unknown }).child === 'function'
  );
}

/**
 * The logger the library writes to, from the one the app passed: a console-style logger
 * (`message, data`) is used as it is; a pino logger (`data, message`) is called object first,
 * so its fields land as fields. One home: the session and the manager both call it.
 */
export function loggerOf(logger: SessionLogger | undefined): SessionLogger | undefined {
  if (logger === undefined || !isObjectFirst(logger)) return logger;
  const adapted: Record<string, (message: string, data?: Record<string, unknown>) => void> = {};
  for (const level of LEVELS) {
    const write = (logger as Record<string, unknown>)[level];
    if (typeof write !== 'function') continue;
    adapted[level] = (message, data) => write.call(logger, data ?? {}, message);
  }
  return adapted as SessionLogger;
}
