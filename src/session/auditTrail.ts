import type { GstrProvider } from '../providers/GstrProvider.js';
import { PROVIDER_METHODS, wrapProviderMethods } from '../providers/overrideProvider.js';
import { redactDeep } from '../secrets/redactDeep.js';
import type { AuditHook, AuditRecord, PersonAction } from '../telemetry/auditRecord.js';
import { errorSummaryOf } from '../telemetry/errorSummary.js';
import type { SessionLogger } from './types.js';

/** The facade methods that are a person's actions, and the action each records. */
const PERSON_METHODS = {
  start: 'session.start',
  submitOtp: 'otp.submit',
  resendOtp: 'otp.resend',
  reauthenticate: 'session.reauthenticate',
  logout: 'session.logout',
} as const satisfies Record<string, PersonAction>;

/** Records the person actions of `session` (its methods of {@link PERSON_METHODS}), in place. */
export function auditPersonActions<S extends Record<keyof typeof PERSON_METHODS, unknown>>(
  trail: AuditTrail,
  session: S,
): void {
  for (const [name, action] of Object.entries(PERSON_METHODS) as [
    keyof typeof PERSON_METHODS,
    PersonAction,
  ][]) {
    const method = session[name] as (...args: unknown[]) => unknown;
    (session as Record<string, unknown>)[name] = (...args: unknown[]) =>
      trail.person(action, () => method.apply(session, args));
  }
}

/** A session's audit trail: its provider wrapped, and its person actions recorded. */
export interface AuditTrail {
  /** The provider whose every call this session makes is recorded. */
  provider(base: GstrProvider): GstrProvider;
  /** Runs a person's action and records its outcome. */
  person<T>(action: PersonAction, run: () => T): T;
}

/**
 * The audit trail of one session, or none without a hook. Records are built from the fixed
 * fields of {@link AuditRecord} (an error is summarised, never copied), so that nothing secret
 * can reach the hook; a hook that throws is logged and the session goes on.
 */
export function auditTrail(
  hook: AuditHook | undefined,
  key: { readonly gstin: string; readonly username: string },
  now: () => number,
  logger: SessionLogger | undefined,
): AuditTrail | undefined {
  if (!hook) return undefined;
  const record = (
    kind: AuditRecord['kind'],
    action: string,
    at: number,
    startedAt: number,
    error?: unknown,
  ) => {
    const entry: AuditRecord = {
      at,
      gstin: key.gstin,
      username: key.username,
      kind,
      action,
      outcome: error === undefined ? 'ok' : 'error',
      durationMs: Math.max(0, performance.now() - startedAt),
      ...(error === undefined ? {} : { error: errorSummaryOf(error) }),
    };
    try {
      hook(entry);
    } catch (failure) {
      logger?.warn?.('gstr-session: the onAudit hook threw', { error: redactDeep(failure) });
    }
  };

  /** Runs `run`, recording its outcome once it settles (a promise) or returns. */
  function observed<T>(kind: AuditRecord['kind'], action: string, run: () => T): T {
    const at = now();
    const startedAt = performance.now();
    let result: T;
    try {
      result = run();
    } catch (error) {
      record(kind, action, at, startedAt, error ?? new Error('failed'));
      throw error;
    }
    if (result instanceof Promise)
      return result.then(
        (value) => {
          record(kind, action, at, startedAt);
          return value;
        },
        (error: unknown) => {
          record(kind, action, at, startedAt, error ?? new Error('failed'));
          throw error;
        },
      ) as T;
    record(kind, action, at, startedAt);
    return result;
  }

  return {
    provider: (base) =>
      wrapProviderMethods(
        base,
        PROVIDER_METHODS,
        (name, method) =>
          (...args: never[]) =>
            observed('provider', name, () => method(...args)),
      ),
    person: (action, run) => observed('person', action, run),
  };
}
