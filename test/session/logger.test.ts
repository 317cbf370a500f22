import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { rejectionOf } from '../helpers/fixtures.js';

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A real pino logger writing its JSON lines to an array. */
function pinoInto(lines: Record<string, unknown>[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level: 'debug' }, sink);
}

describe('the logger option', () => {
  it('takes a pino logger as it is: fields as fields, the message as msg, no secret', async () => {
    // Arrange
    const lines: Record<string, unknown>[] = [];
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const session = rig.session({ logger: pinoInto(lines), reauth: 'manual' });

    // Act: a wrong OTP is a warning; the transitions are info.
    session.start();
    await rejectionOf(session.submitOtp('000000'));
    const { authToken } = await session.submitOtp('575757');
    await new Promise<void>((resolve) => setImmediate(resolve));

    // Assert
    const warning = lines.find((line) => line.level === 40);
    expect(warning?.msg).toMatch(/^gstr-session error: /);
    expect(warning).toMatchObject({ gstin: '27AAPFU0939F1ZV' });
    expect(lines.some((line) => String(line.msg).includes('-> authenticated'))).toBe(true);
    const written = JSON.stringify(lines);
    expect(written).not.toContain(authToken);
    expect(written).not.toContain('575757');
  });

  it('takes a console-style logger message first, as before', async () => {
    // Arrange
    const calls: unknown[][] = [];
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const session = rig.session({
      logger: { info: (...args: unknown[]) => void calls.push(args) },
    });

    // Act
    session.start();
    await session.submitOtp('575757');

    // Assert
    expect(typeof calls[0]?.[0]).toBe('string');
    expect(calls[0]?.[1]).toMatchObject({ gstin: '27AAPFU0939F1ZV' });
  });
});
