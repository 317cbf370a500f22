import { describe, expect, it } from 'vitest';
import { isGstrError } from '../../src/errors/isGstrError.js';
import { createSessionManager } from '../../src/manager/createSessionManager.js';
import type { GstrProvider } from '../../src/providers/GstrProvider.js';
import { SignzyClient } from '../../src/providers/signzy/SignzyClient.js';
import { createGstrSession } from '../../src/session/createGstrSession.js';
import { MOCK_DEFAULT_ACCOUNT } from '../../src/testing/mock/types.js';
import { GSTIN, USERNAME } from '../helpers/fixtures.js';

/** The InvalidInputError a call throws, with the option it names and where. */
function refusal(make: () => unknown): { field: string; message: string } {
  try {
    make();
  } catch (error) {
    expect(isGstrError(error, 'InvalidInputError')).toBe(true);
    return { field: (error as { field: string }).field, message: (error as Error).message };
  }
  throw new Error('expected an InvalidInputError');
}

const ACCOUNT = { ...MOCK_DEFAULT_ACCOUNT, baseUrl: 'http://127.0.0.1:9' };
const provider = (): GstrProvider => new SignzyClient(ACCOUNT);

describe('signzyProvider options', () => {
  const CASES: [string, Record<string, unknown>, string][] = [
    ['a retry limit that is not a number', { retry: { limit: 'abc' } }, 'retry.limit'],
    ['a negative retry limit', { retry: { limit: -1 } }, 'retry.limit'],
    ['an expiry unit in hours', { expiryUnit: 'hours' }, 'expiryUnit'],
    ['a timeout that is not a number', { timeoutMs: 'abc' }, 'timeoutMs'],
    ['a negative timeout', { timeoutMs: -1 }, 'timeoutMs'],
    ['a timeout beyond any timer', { timeoutMs: 1e12 }, 'timeoutMs'],
    ['a ttl that is not a number', { accessTokenTtlSeconds: 'abc' }, 'accessTokenTtlSeconds'],
    ['a base URL that is no URL', { baseUrl: 'notaurl' }, 'baseUrl'],
    ['a base URL that is not http', { baseUrl: 'file:///etc/passwd' }, 'baseUrl'],
    ['a fetch that is no function', { fetch: 'x' }, 'fetch'],
    ['a size cap of zero', { maxResponseBytes: 0 }, 'maxResponseBytes'],
    ['a GSTR path without a slash', { gstrPath: 'gstrs' }, 'gstrPath'],
  ];
  for (const [name, options, field] of CASES) {
    it(`refuses ${name} at construction, naming ${field}`, () => {
      const error = refusal(() => new SignzyClient({ ...ACCOUNT, ...options } as never));
      expect(error.field).toBe(field);
      expect(error.message).toContain('signzyProvider');
    });
  }
});

describe('createGstrSession options', () => {
  const base = { provider: provider(), gstin: GSTIN, username: USERNAME };
  const CASES: [string, Record<string, unknown>, string][] = [
    ['an OTP validity of Infinity', { otpValidityMs: Number.POSITIVE_INFINITY }, 'otpValidityMs'],
    ['a clock with no methods', { clock: {} }, 'clock'],
    ['a provider that is no provider', { provider: {} }, 'provider'],
    ['a reauth mode that does not exist', { reauth: 'sometimes' }, 'reauth'],
    ['a logger whose level is no function', { logger: { warn: 'x' } }, 'logger'],
    ['a fractional attempt count', { maxOtpAttempts: 1.5 }, 'maxOtpAttempts'],
  ];
  for (const [name, options, field] of CASES) {
    it(`refuses ${name}, naming ${field}`, () => {
      expect(refusal(() => createGstrSession({ ...base, ...options } as never)).field).toBe(field);
    });
  }

  it('rejects a wait with a signal that is no AbortSignal', async () => {
    const session = createGstrSession(base);
    session.start();
    const error = await session.credentials({ signal: 'x' as never }).catch((e: unknown) => e);
    expect(isGstrError(error, 'InvalidInputError')).toBe(true);
    expect((error as { field: string }).field).toBe('signal');
    session.stop();
  });
});

describe('createSessionManager options', () => {
  const CASES: [string, Record<string, unknown>, string][] = [
    ['no provider', {}, 'provider'],
    ['a login concurrency of 0', { provider: provider(), loginConcurrency: 0 }, 'loginConcurrency'],
    [
      'a negative login concurrency',
      { provider: provider(), loginConcurrency: -1 },
      'loginConcurrency',
    ],
    [
      'a login concurrency of abc',
      { provider: provider(), loginConcurrency: 'abc' },
      'loginConcurrency',
    ],
    ['a store that is no store', { provider: provider(), store: {} }, 'store'],
    ['a refresh lead of NaN', { provider: provider(), refreshLeadMs: Number.NaN }, 'refreshLeadMs'],
  ];
  for (const [name, options, field] of CASES) {
    it(`refuses ${name}, naming ${field}`, () => {
      expect(refusal(() => createSessionManager(options as never)).field).toBe(field);
    });
  }
});

describe('GSTIN and OTP input', () => {
  it('refuses lookalikes that upper-case into ASCII, before upper-casing', async () => {
    const { isValidGstin } = await import('../../src/schemas/gstin.js');
    // 'ſ' upper-cases to 'S', 'ı' to 'I': the ASCII GSTIN they imitate is valid.
    expect(isValidGstin('33GSPTN0231G1ZM')).toBe(true);
    for (const lookalike of ['33GſPTN0231G1ZM', '27AAPFU0939F1ZV\u00a0']) {
      expect(isValidGstin(lookalike)).toBe(false);
      expect(
        refusal(() =>
          createGstrSession({ provider: provider(), gstin: lookalike, username: USERNAME }),
        ).field,
      ).toBe('gstin');
    }
  });

  it('agrees with the session on every input, normalised or not', async () => {
    const { isValidGstin } = await import('../../src/schemas/gstin.js');
    for (const input of [' 27aapfu0939f1zv ', '27AAPFU0939F1ZV', '27AAPFU0939F1ZX', 'ﬀ', '']) {
      let accepted = true;
      try {
        createGstrSession({ provider: provider(), gstin: input, username: USERNAME }).stop();
      } catch {
        accepted = false;
      }
      expect(isValidGstin(input), JSON.stringify(input)).toBe(accepted);
    }
  });

  it('trims ASCII whitespace around a pasted OTP and refuses a non-ASCII space', async () => {
    const { normaliseOtp } = await import('../../src/schemas/requests.js');
    expect(normaliseOtp('123456\n')).toBe('123456');
    expect(normaliseOtp(' 123456\t')).toBe('123456');
    expect(normaliseOtp('123456\u00a0')).toBeUndefined();
    expect(normaliseOtp('１２３４５６')).toBeUndefined();
  });
});

describe('a portal username', () => {
  it('refuses control characters, which would reach logs and file names', () => {
    for (const username of ['user\u0000x', 'user\u001bx', 'user\u007f']) {
      expect(
        refusal(() => createGstrSession({ provider: provider(), gstin: GSTIN, username })).field,
      ).toBe('username');
    }
  });
});
