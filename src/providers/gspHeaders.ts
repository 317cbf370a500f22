import type { GstrStep } from '../errors/GstrError.js';
import { HeaderValueSchema } from '../schemas/options.js';
import { parseInput } from '../schemas/parse.js';
import type { StepDeadline } from '../time/deadline.js';
import { runHook } from './runHook.js';

/** A GSP's `headers(context, { signal })` hook, as GSTN direct and NIC take it. */
export type HeadersHook<C> = (
  context: C,
  options: { readonly signal: AbortSignal },
) => Readonly<Record<string, string>> | Promise<Readonly<Record<string, string>>>;

/**
 * The GSP's own headers for one request (none without a hook): the hook runs inside the
 * step's deadline, and each value is checked as a header value before anything is sent.
 */
export async function gspHeaders<C>(
  hook: HeadersHook<C> | undefined,
  context: C,
  step: GstrStep,
  deadline: StepDeadline,
): Promise<Readonly<Record<string, string>>> {
  if (!hook) return {};
  const headers = await runHook('headers()', step, deadline, (signal) => hook(context, { signal }));
  for (const [name, value] of Object.entries(headers ?? {}))
    parseInput(HeaderValueSchema, value, step, `headers().${name}`);
  return headers ?? {};
}
