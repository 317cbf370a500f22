import { describe, expectTypeOf, it } from 'vitest';
import type { OtpRejectedError } from '../../src/errors/OtpRejectedError.js';
import type { ProviderHttpError } from '../../src/errors/ProviderHttpError.js';
import {
  type FilingPreferenceData,
  filingPreference,
  type Gstr3bSummaryData,
  type GstrSectionData,
  type GstrSession,
  type GstrSessionOptions,
  gstr1Section,
  gstr3bSummary,
  isGstrError,
  type ReadOutcome,
  type SessionManager,
} from '../../src/index.js';

/*
 * Type tests of the public surface: vitest checks them with the compiler (`typecheck` in
 * vitest.config.ts), and `npm run typecheck` compiles them too; they never run.
 */

declare const session: GstrSession;
declare const manager: SessionManager;

describe('the public types', () => {
  it('type a read’s data by what was read, on a session and through a manager', () => {
    expectTypeOf(session.call(gstr3bSummary('042024'))).resolves.toEqualTypeOf<
      ReadOutcome<Gstr3bSummaryData>
    >();
    expectTypeOf(session.call(gstr1Section('B2B', '042024'))).resolves.toEqualTypeOf<
      ReadOutcome<GstrSectionData>
    >();
    expectTypeOf(
      manager.call('27AAPFU0939F1ZV', 'portal-user', filingPreference('2024-25')),
    ).resolves.toEqualTypeOf<ReadOutcome<FilingPreferenceData>>();
  });

  it('narrow an outcome by its kind', () => {
    const outcome = {} as ReadOutcome<Gstr3bSummaryData>;
    if (outcome.kind === 'data') expectTypeOf(outcome.data).toEqualTypeOf<Gstr3bSummaryData>();
    if (outcome.kind === 'noData') expectTypeOf(outcome.code).toBeString();
    if (outcome.kind === 'queued')
      expectTypeOf(outcome.retryAfterMs).toEqualTypeOf<number | undefined>();
  });

  it('narrow an error by its class name, a subclass counting as its parent', () => {
    const error: unknown = undefined;
    if (isGstrError(error, 'OtpRejectedError')) {
      expectTypeOf(error).toEqualTypeOf<OtpRejectedError>();
      expectTypeOf(error).toMatchTypeOf<ProviderHttpError>();
      expectTypeOf(error.code).toBeString();
    }
    // A typo in a class name is a compile error, not a silent false.
    // @ts-expect-error: no such error class
    isGstrError(error, 'OtpRefusedError');
  });

  it('type each emitted event by its name', () => {
    session.on('otp.required', (event) => {
      expectTypeOf(event.reason).toBeString();
      expectTypeOf(event.attemptsLeft).toBeNumber();
      expectTypeOf(event.gstin).toBeString();
    });
    // @ts-expect-error: no such event
    session.on('otp.typed', () => {});
  });

  it('check the options: the mode is a choice, a number is a number', () => {
    expectTypeOf<GstrSessionOptions['reauth']>().toEqualTypeOf<'auto' | 'manual' | undefined>();
    expectTypeOf<GstrSessionOptions['refreshLeadMs']>().toEqualTypeOf<number | undefined>();
    const typed = { refreshLeadMs: '5m' };
    // @ts-expect-error: a string is not a duration
    const wrong: Pick<GstrSessionOptions, 'refreshLeadMs'> = typed;
    void wrong;
  });
});
