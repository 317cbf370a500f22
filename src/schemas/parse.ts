import * as v from 'valibot';
import type { GstrStep } from '../errors/GstrError.js';
import { InvalidInputError } from '../errors/InvalidInputError.js';
import { ResponseValidationError } from '../errors/ResponseValidationError.js';

/**
 * The first issue as a field and a message. `whole` names the value itself: a path inside it
 * is appended (`snapshot.token.expiresAt`), or stands alone when no name is given.
 */
function firstIssue(
  issues: readonly v.BaseIssue<unknown>[],
  whole: string,
  named: boolean,
): { field: string; message: string } {
  const issue = issues[0];
  if (!issue) return { field: whole, message: 'is invalid' };
  // Our schemas carry their own messages; valibot's defaults quote the received value,
  // which may be a secret, so they are never used.
  const own = /^(must|has|does|is)\b/.test(issue.message);
  const path = v.getDotPath(issue);
  return {
    field: path === null ? whole : named ? `${whole}.${path}` : path,
    message: own ? issue.message : 'is invalid',
  };
}

/**
 * Validates input where it enters the library; throws {@link InvalidInputError} naming the
 * field, before any request is sent.
 */
export function parseInput<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  step: GstrStep,
  field?: string,
  where?: string,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const issue = firstIssue(
    result.issues,
    field ?? (where ? 'options' : 'value'),
    field !== undefined,
  );
  throw new InvalidInputError(issue.field, issue.message, { step, where });
}

/**
 * Validates the options of a constructor or call (`signzyProvider`, `createSessionManager`,
 * a store, a wait) where they are given; throws {@link InvalidInputError} naming the option
 * (e.g. `retry.limit`) and `where`. Returns the validated value; functions and objects
 * checked with `v.custom` keep their identity.
 */
export function parseOptions<TSchema extends v.GenericSchema>(
  schema: TSchema,
  input: unknown,
  where: string,
): v.InferOutput<TSchema> {
  return parseInput(schema, input, 'session', undefined, where);
}

/**
 * Validates a provider's answer; throws {@link ResponseValidationError} naming the step and
 * the field, so a broken answer never turns into an `undefined` token.
 */
export function parseResponse<TSchema extends v.GenericSchema>(
  schema: TSchema,
  body: unknown,
  step: GstrStep,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, body);
  if (result.success) return result.output;
  const issue = firstIssue(result.issues, 'body', false);
  const missing = result.issues[0]?.received === 'undefined';
  throw new ResponseValidationError(issue.field, missing ? 'is missing' : issue.message, { step });
}
