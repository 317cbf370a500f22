import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitFor } from 'xstate';
import { isGstrError } from '../../src/errors/isGstrError.js';
import {
  filingPreference,
  gstr1Section,
  gstr2aSection,
  gstr2b,
  gstr3bSummary,
  returnStatus,
} from '../../src/reads/builders.js';
import type { GstrRead } from '../../src/reads/GstrRead.js';
import type { GstrSession } from '../../src/session/types.js';
import { createTestClock } from '../../src/testing/drive/createTestClock.js';
import { MOCK_FACES, type MockFaceName } from '../../src/testing/mock/types.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN, rejectionOf } from '../helpers/fixtures.js';
import { T0 } from '../helpers/sessionFixture.js';

/** Every provider of the registry: a new one joins these tests by itself. */
const FACES = MOCK_FACES;
const MINUTE = 60_000;

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** An authenticated session on one provider (all three refresh; Signzy by its task). */
async function authenticated(
  face: MockFaceName,
  reauth: 'auto' | 'manual' = 'auto',
): Promise<{ r: TestRig; session: GstrSession }> {
  rig = await createTestRig({
    clock: createTestClock(T0),
    provider: face,
    mock: { refreshTask: 'refreshAuthToken' },
    providerOptions: { timeoutMs: 2_000, retry: { limit: 1, backoffLimitMs: 5 } },
  });
  const r = rig;
  const session = r.session({ reauth, refreshJitterMs: 0 });
  session.start();
  await waitFor(session.actor, (s) => s.value === 'otpRequested', { timeout: 5_000 });
  await session.submitOtp(r.otp());
  return { r, session };
}

const BUILDERS: readonly [string, () => GstrRead][] = [
  ['gstr3bSummary', () => gstr3bSummary('042024')],
  ['gstr1Section', () => gstr1Section('b2b', '042024')],
  ['gstr2aSection', () => gstr2aSection('CDN', '042024')],
  ['gstr2b', () => gstr2b('042024')],
  ['filingPreference', () => filingPreference('2024-25')],
  ['returnStatus', () => returnStatus('042024', 'AB12-ref_9')],
];

describe.each(FACES)('reading returns through the session (%s)', (face) => {
  it.each(BUILDERS)('reads %s with the session token', async (_, build) => {
    const { r, session } = await authenticated(face);
    const result = await session.call(build());
    expect(result.kind).toBe('data');
    expect((result as { data: { gstin?: string } }).data.gstin).toBe(GSTIN);
    expect(r.mock.count('call')).toBe(1);
  });

  it('returns GSTN "no data" as a noData result, never as an empty list', async () => {
    const { r, session } = await authenticated(face);
    r.mock.setFault('call', { kind: 'status', status: 200, code: 'RET11416', times: 1 });
    const result = await session.call(gstr1Section('B2B', '042024'));
    expect(result).toMatchObject({ kind: 'noData', code: 'RET11416' });
  });

  it.each([
    'RET11416',
    'RET11417',
    'RET13508',
    'RET13509',
    'RET13510',
    'RET2B1016',
    'RET2B1018',
    'RT-3BAS1009',
  ])('returns GSTN %s as noData', async (code) => {
    const { r, session } = await authenticated(face);
    r.mock.setFault('call', { kind: 'status', status: 200, code, times: 1 });
    expect(await session.call(gstr3bSummary('042024'))).toMatchObject({ kind: 'noData', code });
  });

  it('returns "in progress" as queued, and the data once ready', async () => {
    const { r, session } = await authenticated(face);
    r.mock.setFault('call', { kind: 'status', status: 200, code: 'RETINPROGRESS', times: 1 });
    expect(await session.call(gstr2b('042024'))).toMatchObject({
      kind: 'queued',
      code: 'RETINPROGRESS',
    });
    expect((await session.call(gstr2b('042024'))).kind).toBe('data');
  });

  it('absorbs a token refused mid-workflow with one refresh and one retry (auto mode)', async () => {
    const { r, session } = await authenticated(face);
    r.mock.setFault('call', { kind: 'status', status: 200, code: 'RET11402', times: 1 });
    const result = await session.call(gstr3bSummary('042024'));
    expect(result.kind).toBe('data');
    expect(r.mock.count('call')).toBe(2);
    expect(r.mock.count('refreshToken')).toBe(1);
    expect(r.mock.count('getOtp')).toBe(1);
  });

  it('absorbs a token GSTN ended with one new OTP and one retry (auto mode)', async () => {
    const { r, session } = await authenticated(face);
    r.mock.revokeAuthTokens();
    session.on('otp.required', () => session.submitOtp(r.otp()));
    const result = await session.call(gstr3bSummary('042024'));
    expect(result.kind).toBe('data');
    expect(r.mock.count('call')).toBe(2);
    expect(r.mock.count('getOtp')).toBe(2);
  });

  it('rejects a refused token with ReauthenticationRequiredError in manual mode, sending no OTP', async () => {
    const { r, session } = await authenticated(face, 'manual');
    r.mock.revokeAuthTokens();
    const error = await rejectionOf(session.call(gstr3bSummary('042024')));
    expect(isGstrError(error, 'ReauthenticationRequiredError')).toBe(true);
    expect(r.mock.count('call')).toBe(1);
    expect(r.mock.count('getOtp')).toBe(1);
  });

  it('refuses bad periods, sections and ids before any request', async () => {
    const { r } = await authenticated(face);
    const before = r.mock.requests.length;
    for (const bad of [
      () => gstr3bSummary('132024'),
      () => gstr3bSummary('062017'),
      () => gstr3bSummary('04-2024'),
      () => gstr1Section('XYZ' as never, '042024'),
      () => gstr2b('042024', { fileNumber: 0 }),
      () => filingPreference('2024-26'),
      () => returnStatus('042024', 'a b'),
    ]) {
      expect(bad).toThrow(expect.objectContaining({ name: 'InvalidInputError' }));
    }
    expect(r.mock.requests.length).toBe(before);
  });
});

describe('reading returns on GSTN direct', () => {
  it('refuses an answer whose HMAC does not match, returning no data', async () => {
    const { r, session } = await authenticated('gstn');
    r.mock.setFault('call', {
      kind: 'setField',
      field: 'hmac',
      value: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      times: 1,
    });
    const error = await rejectionOf(session.call(gstr3bSummary('042024')));
    expect(isGstrError(error, 'ResponseValidationError')).toBe(true);
    expect((error as { field: string }).field).toBe('hmac');
  });

  it('downloads a large answer file by file, checking each hash', async () => {
    const { r, session } = await authenticated('gstn');
    r.mock.setLargeReads({ parts: 2 });
    const result = await session.call(gstr2b('042024'));
    expect(result.kind).toBe('data');
    const parts = result.kind === 'data' ? (result.data.parts ?? []) : [];
    expect(parts.map((p) => p.part)).toEqual([0, 1]);
    expect(r.mock.count('download')).toBe(2);
  });

  it('refuses a file whose hash does not match, returning no data', async () => {
    const { r, session } = await authenticated('gstn');
    r.mock.setLargeReads({ parts: 2, wrongHashPart: 1 });
    const error = await rejectionOf(session.call(gstr2b('042024')));
    expect(isGstrError(error, 'ResponseValidationError')).toBe(true);
    expect((error as { field: string }).field).toBe('urls.hash');
  });

  it('refuses a large answer with an empty archive instead of reading it as no invoices', async () => {
    const { r, session } = await authenticated('gstn');
    r.mock.setLargeReads({ parts: 2, emptyPart: 1 });
    const error = await rejectionOf(session.call(gstr2b('042024')));
    expect(isGstrError(error, 'ResponseValidationError')).toBe(true);
    expect(String((error as Error).message)).toContain('holds no file');
  });

  it('bounds the whole read, not only each file: many small files cannot add up past maxReadBytes', async () => {
    // Arrange: twelve files, each far under the per-file cap.
    const { r, session } = await authenticated('gstn');
    r.mock.setLargeReads({ parts: 12 });
    const whole = await session.call(gstr2b('042024'), { maxResponseBytes: 4_096 });
    const downloadsOfOneRead = r.mock.count('download');
    expect(whole.kind).toBe('data');

    // Act: the same read, with room for about three of its files.
    const error = await rejectionOf(
      session.call(gstr2b('042024'), { maxResponseBytes: 4_096, maxReadBytes: 1_500 }),
    );

    // Assert: refused as a whole, and the files past the budget were never fetched.
    expect(isGstrError(error, 'ResponseTooLargeError')).toBe(true);
    expect(error).toMatchObject({ whole: true, limitBytes: 1_500 });
    expect(r.mock.count('download') - downloadsOfOneRead).toBeLessThan(12);
  });

  it('finishes a download that crosses the refresh lead time, with one refresh and no OTP', async () => {
    const { r, session } = await authenticated('gstn');
    r.mock.setLargeReads({ parts: 2 });
    r.mock.setFault('download', { kind: 'delay', ms: 150 });
    const reading = session.call(gstr2b('042024'));
    // While the files come in, the token reaches its lead time: the session refreshes.
    await vi.waitFor(() => expect(r.mock.count('download')).toBeGreaterThan(0), {
      timeout: 10_000,
    });
    r.clock.advance(6 * 60 * MINUTE - 9 * MINUTE);
    const result = await reading;
    expect(result.kind).toBe('data');
    await waitFor(session.actor, (s) => s.value === 'authenticated', { timeout: 5_000 });
    expect(r.mock.count('refreshToken')).toBe(1);
    expect(r.mock.count('getOtp')).toBe(1);
  });
});

describe('reading returns: restore, manager and secrets', () => {
  it('probes a restored session once with validateOnRestore, and renews a dead token before the read', async () => {
    const { r, session } = await authenticated('gstn');
    const saved = session.persist();
    session.stop();
    r.mock.revokeAuthTokens();
    const restored = r.session({ snapshot: saved, validateOnRestore: true, refreshJitterMs: 0 });
    restored.start();
    restored.on('otp.required', () => restored.submitOtp(r.otp()));
    const result = await restored.call(gstr3bSummary('042024'));
    expect(result.kind).toBe('data');
    // The probe (refused), then after a new OTP the probe again and the read: one OTP, no more.
    expect(r.mock.count('getOtp')).toBe(2);
    expect(r.mock.count('call')).toBe(2);
    await restored.call(gstr3bSummary('042024'));
    expect(r.mock.count('call')).toBe(3);
  });

  it('reads through the manager: auto mode starts the session, manual mode asks for a person', async () => {
    rig = await createTestRig({ clock: createTestClock(T0), provider: 'sandbox' });
    const r = rig;
    const manual = r.manager({ reauth: 'manual' });
    const refused = await rejectionOf(manual.call(GSTIN, 'portal-user', gstr3bSummary('042024')));
    expect(isGstrError(refused, 'ReauthenticationRequiredError')).toBe(true);
    expect(r.mock.requests).toEqual([]);

    const auto = r.manager({ reauth: 'auto' });
    auto.on('otp.required', ({ gstin, username }) => {
      void auto.submitOtp(gstin, username, r.otp());
    });
    const result = await auto.call(GSTIN, 'portal-user', gstr2b('042024'));
    expect(result.kind).toBe('data');
    expect(r.mock.count('getOtp')).toBe(1);
    expect(r.mock.count('call')).toBe(1);
  });

  it('never puts the session token or keys in a read error', async () => {
    const { r, session } = await authenticated('gstn');
    const { authToken, secrets } = await session.credentials();
    r.mock.setFault('call', { kind: 'status', status: 500 });
    const error = await rejectionOf(session.call(gstr3bSummary('042024')));
    expect(isGstrError(error, 'ProviderUnavailableError')).toBe(true);
    const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`;
    for (const secret of [authToken, ...Object.values(secrets)])
      expect(text.includes(secret)).toBe(false);
  });
});
