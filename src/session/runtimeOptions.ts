import * as v from 'valibot';
import { methodsSchema } from '../schemas/options.js';
import type { Inspector } from './createRedactingInspector.js';
import type { SessionClock, SessionLogger } from './types.js';

/** A clock: `now`, `setTimeout`, `clearTimeout` (XState's `SimulatedClock` fits). */
export const ClockSchema = methodsSchema<SessionClock>(
  ['now', 'setTimeout', 'clearTimeout'],
  'must be a clock (now, setTimeout, clearTimeout)',
);

/** A logger: an object whose levels, where present, are functions (`console` fits). */
export const LoggerSchema = v.custom<SessionLogger>((value) => {
  if (typeof value !== 'object' || value === null) return false;
  const l = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error'].every(
    (m) => l[m] === undefined || typeof l[m] === 'function',
  );
}, 'must be a logger (debug, info, warn, error functions)');

/** An XState inspector: a function, or an observer with `next`. */
export const InspectorSchema = v.custom<Inspector>(
  (value) =>
    typeof value === 'function' ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { next?: unknown }).next === 'function'),
  'must be a function or an observer with next()',
);
