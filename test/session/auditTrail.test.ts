import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { gstr3bSummary } from '../../src/reads/builders.js';
import type { AuditRecord } from '../../src/telemetry/auditRecord.js';
import { errorSummaryOf } from '../../src/telemetry/errorSummary.js';
import { createTestRig, RIG_GSTIN, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { rejectionOf } from '../helpers/fixtures.js';

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** The trail as `kind action outcome` lines, in order. */
const lines = (records: AuditRecord[]) => records.map((r) => `${r.kind} ${r.action} ${r.outcome}`);

describe('the audit trail (onAudit)', () => {
  it('records each provider call and person action of a session, with outcome and codes, and no secret', async () => {
    // Arrange
    const records: AuditRecord[] = [];
    rig = await createTestRig({ provider: 'gstn' });
    const session = rig.session({ reauth: 'manual', onAudit: (r) => records.push(r) });

    // Act: a first login with one wrong OTP, a read, and a logout.
    session.start();
    await waitFor(session.actor, (s) => s.value === 'otpRequested');
    const otp = rig.otp();
    await rejectionOf(session.submitOtp(rig.wrongOtp()));
    const credentials = await session.submitOtp(otp);
    await session.call(gstr3bSummary('042024'));
    await session.logout();

    // Assert
    expect(lines(records)).toEqual([
      'person session.start ok',
      'provider requestOtp ok',
      'provider getAuthToken error',
      'person otp.submit error',
      'provider getAuthToken ok',
      'person otp.submit ok',
      'provider read ok',
      'provider logout ok',
      'person session.logout ok',
    ]);
    const refused = records.find((r) => r.action === 'getAuthToken' && r.outcome === 'error');
    expect(refused).toMatchObject({
      gstin: session.gstin,
      username: session.username,
      error: { name: 'OtpRejectedError', code: 'GSTR_OTP_REJECTED' },
    });
    expect(refused?.error?.providerCode).toMatch(/^AUTH/);
    for (const record of records) {
      expect(record.at).toBe(rig.clock.now());
      expect(record.durationMs).toBeGreaterThanOrEqual(0);
    }
    const written = JSON.stringify(records);
    for (const secret of [otp, credentials.authToken, credentials.sek, credentials.appKey])
      if (secret) expect(written).not.toContain(secret);
    // Only the fields of a record: never a message, whatever failed.
    const fields = new Set(
      records.flatMap((r) => [...Object.keys(r), ...Object.keys(r.error ?? {})]),
    );
    expect([...fields].sort()).toEqual([
      'action',
      'at',
      'code',
      'durationMs',
      'error',
      'gstin',
      'kind',
      'name',
      'outcome',
      'providerCode',
      'status',
      'username',
    ]);
  });

  it('keeps the session going when the hook throws, and says so in the log', async () => {
    // Arrange
    const warnings: string[] = [];
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const session = rig.session({
      reauth: 'manual',
      onAudit: () => {
        throw new Error('the disk is full');
      },
      logger: { warn: (message: string) => warnings.push(message) },
    });

    // Act
    session.start();
    const credentials = await session.submitOtp('575757');

    // Assert
    expect(credentials.authToken).toBeTruthy();
    expect(session.state).toBe('authenticated');
    expect(warnings.filter((w) => w.includes('onAudit'))).not.toHaveLength(0);
  });

  it('records every managed session with its key, across dormancy', async () => {
    // Arrange
    const records: AuditRecord[] = [];
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const manager = rig.manager({ onAudit: (r) => records.push(r) });
    const session = manager.get(RIG_GSTIN, 'clerk-1');

    // Act
    session.start();
    await session.submitOtp('575757');
    await manager.credentials(RIG_GSTIN, 'clerk-1');

    // Assert
    expect(lines(records)).toContain('provider requestOtp ok');
    expect(lines(records)).toContain('person otp.submit ok');
    expect(records.every((r) => r.username === 'clerk-1' && r.gstin === RIG_GSTIN)).toBe(true);
    await manager.close();
  });

  it('rejects a hook that is not a function before anything is sent', async () => {
    // Arrange
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const r = rig;

    // Act
    const error = (() => {
      try {
        r.session({ onAudit: 'audit.log' as never });
      } catch (thrown) {
        return thrown;
      }
    })();

    // Assert
    expect(error).toMatchObject({ name: 'InvalidInputError' });
    expect(String((error as Error).message)).toContain('onAudit');
    expect(r.mock.requests).toEqual([]);
  });
});

describe('errorSummaryOf', () => {
  it('keeps codes that look like codes and drops anything else a hostile provider put there', () => {
    // Arrange
    const hostile = Object.assign(new Error('password=hunter2'), {
      name: 'WeirdError',
      code: 'token eyJhbGciOi.secret',
      status: 1e9,
      providerCode: 'AUTH4033',
    });

    // Act
    const summary = errorSummaryOf(hostile);

    // Assert
    expect(summary).toEqual({
      name: 'WeirdError',
      code: undefined,
      status: undefined,
      providerCode: 'AUTH4033',
    });
  });
});
