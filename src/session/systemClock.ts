import type { SessionClock } from './types.js';

/** The system clock for session timers: `unref`'d, so an idle session never keeps a process alive. */
export const systemClock: SessionClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
};

/** The system clock for waits: kept referenced, so that an awaited promise always settles. */
export const systemWaitClock: SessionClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as NodeJS.Timeout),
};
