import * as v from 'valibot';
import { MAX_TIMER_MS } from '../time/delays.js';

/** The longest duration an option may name: a year (timers are clamped to what they can wait). */
export const MAX_DURATION_MS = 366 * 24 * 60 * 60_000;

/** A duration in ms: finite, not negative, at most a year. */
export const DurationSchema = v.pipe(
  v.number('must be a number'),
  v.finite('must be finite'),
  v.minValue(0, 'must not be negative'),
  v.maxValue(MAX_DURATION_MS, `must be at most ${MAX_DURATION_MS} (a year)`),
);

/** A timeout in ms: a whole number from 1 to the longest timer. */
export const TimeoutMsSchema = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(1, 'must be at least 1'),
  v.maxValue(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS}`),
);

/** A whole count from `min` up. */
export function countSchema(min: number, max = Number.MAX_SAFE_INTEGER) {
  return v.pipe(
    v.number('must be a number'),
    v.integer('must be a whole number'),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );
}

/** A size limit in bytes: at least 1 KiB, at most 1 GiB. */
export const ByteLimitSchema = countSchema(1024, 2 ** 30);

/** Any function (kept by reference: validation never copies it). */
export const FunctionSchema = v.custom<(...args: never[]) => unknown>(
  (value) => typeof value === 'function',
  'must be a function',
);

/** An object with these methods (kept by reference, so class instances keep their `this`). */
export function methodsSchema<T>(methods: readonly string[], message: string) {
  return v.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    message,
  );
}

/** An absolute http(s) URL. */
export const HttpUrlSchema = v.pipe(
  v.string('must be a string'),
  v.check((value) => {
    if (!URL.canParse(value)) return false;
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  }, 'must be an absolute http(s) URL'),
);

/** An `AbortSignal` (duck-typed, so signals of another realm pass). */
export const AbortSignalSchema = v.custom<AbortSignal>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function',
  'must be an AbortSignal',
);

/** What a wait accepts: an optional signal and timeout. */
export const WaitOptionsSchema = v.optional(
  v.object(
    {
      signal: v.optional(AbortSignalSchema),
      timeoutMs: v.optional(TimeoutMsSchema),
    },
    'must be an object',
  ),
);

/** The options of a `call()`: the wait's and the read's own bounds, checked like any option. */
export const CallOptionsSchema = v.optional(
  v.object(
    {
      signal: v.optional(AbortSignalSchema),
      timeoutMs: v.optional(TimeoutMsSchema),
      waitTimeoutMs: v.optional(TimeoutMsSchema),
      maxResponseBytes: v.optional(ByteLimitSchema),
      maxReadBytes: v.optional(ByteLimitSchema),
    },
    'must be an object',
  ),
);

/** A value that goes into an HTTP header: printable ASCII, never a CR/LF that could split it. */
export const HeaderValueSchema = v.pipe(
  v.string('must be a string'),
  v.nonEmpty('must not be empty'),
  v.regex(/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/, 'must be printable ASCII (a header value)'),
);
