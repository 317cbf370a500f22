import { afterEach, describe, expect, it } from 'vitest';
import { isGstrError } from '../../src/errors/isGstrError.js';
import { GstnClient } from '../../src/providers/gstn/GstnClient.js';
import type { GstnOptions } from '../../src/providers/gstn/options.js';
import { gstr3bSummary } from '../../src/reads/builders.js';
import { createGstrSession } from '../../src/session/createGstrSession.js';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import { MOCK_GSTN_CLIENT } from '../../src/testing/mock/gstnFace.js';
import type { MockProvider } from '../../src/testing/mock/types.js';
import { GSTIN, rejectionOf, USERNAME } from '../helpers/fixtures.js';

const STEP_MS = 300;

let mock: MockProvider | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function clientWith(hooks: Partial<GstnOptions>): Promise<GstnClient> {
  mock = await createMockProvider({ face: 'gstn', otpMode: 'sandbox' });
  return new GstnClient({
    baseUrl: mock.url,
    ...MOCK_GSTN_CLIENT,
    certificate: mock.certificate(),
    onCertificateExpiring: () => {},
    timeoutMs: STEP_MS,
    retry: { limit: 0 },
    ...hooks,
  });
}

/** A hook that never settles, and records the signal it was given. */
function hangingHook() {
  const signals: AbortSignal[] = [];
  const hook = (...args: unknown[]) => {
    signals.push((args.at(-1) as { signal: AbortSignal }).signal);
    return new Promise<never>(() => {});
  };
  return { hook, signals };
}

describe('gstnProvider hooks', () => {
  it("ends requestOtp at the step's deadline when headers() never settles, and aborts the hook", async () => {
    // Arrange
    const { hook, signals } = hangingHook();
    const client = await clientWith({ headers: hook });

    // Act
    const error = await rejectionOf(client.requestOtp({ gstin: GSTIN, username: USERNAME }));

    // Assert
    expect(isGstrError(error, 'TimeoutError')).toBe(true);
    expect((error as { timeoutMs: number }).timeoutMs).toBe(STEP_MS);
    expect(signals[0]?.aborted).toBe(true);
    expect(mock?.count('getOtp')).toBe(0);
  });

  it("ends a read at the step's deadline when headers() never settles", async () => {
    // Arrange: headers() answers for the auth steps, then hangs on the read.
    let hang = false;
    const client = await clientWith({
      headers: () => (hang ? new Promise<never>(() => {}) : {}),
    });
    const challenge = await client.requestOtp({ gstin: GSTIN, username: USERNAME });
    const session = await client.getAuthToken({
      gstin: GSTIN,
      username: USERNAME,
      otp: '575757',
      challenge,
    });
    hang = true;

    // Act
    const error = await rejectionOf(
      client.read({ gstin: GSTIN, username: USERNAME, session, request: gstr3bSummary('042024') }),
    );

    // Assert
    expect(isGstrError(error, 'TimeoutError')).toBe(true);
  });

  it('ends the step at its deadline when onCertificateRejected() never settles', async () => {
    // Arrange
    const { hook, signals } = hangingHook();
    const client = await clientWith({ onCertificateRejected: hook });
    mock?.rotateCertificate();

    // Act
    const error = await rejectionOf(client.requestOtp({ gstin: GSTIN, username: USERNAME }));

    // Assert
    expect(isGstrError(error, 'TimeoutError')).toBe(true);
    expect(signals[0]?.aborted).toBe(true);
  });

  it("passes the caller's abort to the hook", async () => {
    // Arrange
    const { hook, signals } = hangingHook();
    const client = await clientWith({ headers: hook, timeoutMs: 60_000 });
    const app = new AbortController();

    // Act
    const pending = rejectionOf(
      client.requestOtp({ gstin: GSTIN, username: USERNAME }, { signal: app.signal }),
    );
    await expect.poll(() => signals.length).toBe(1);
    app.abort(new Error('the app gave up'));

    // Assert
    expect(await pending).toEqual(new Error('the app gave up'));
    expect(signals[0]?.aborted).toBe(true);
  });

  it('turns a throwing headers() into a ProviderHookError without its text', async () => {
    // Arrange
    const client = await clientWith({
      headers: () => {
        throw new Error(`signing failed with ${MOCK_GSTN_CLIENT.clientSecret}`);
      },
    });

    // Act
    const error = await rejectionOf(client.requestOtp({ gstin: GSTIN, username: USERNAME }));

    // Assert
    expect(isGstrError(error, 'ProviderHookError')).toBe(true);
    expect(error).toMatchObject({
      code: 'GSTR_PROVIDER_HOOK',
      hook: 'headers()',
      causeName: 'Error',
      step: 'requestOtp',
    });
    expect(JSON.stringify(error)).not.toContain(MOCK_GSTN_CLIENT.clientSecret);
    expect(String((error as Error).stack)).not.toContain(MOCK_GSTN_CLIENT.clientSecret);
  });

  it("keeps the client secret out of a session's error, its snapshot and its logs", async () => {
    // Arrange: a hook error that is not wrapped (the app's own provider around the client).
    const client = await clientWith({
      headers: () => {
        throw new Error(`signing failed with ${MOCK_GSTN_CLIENT.clientSecret}`);
      },
    });
    const logged: unknown[] = [];
    const session = createGstrSession({
      provider: client,
      gstin: GSTIN,
      username: USERNAME,
      logger: { warn: (...args) => logged.push(args), error: (...args) => logged.push(args) },
    });

    // Act
    session.start();
    const error = await rejectionOf(session.credentials({ timeoutMs: 5_000 }));

    // Assert
    expect(session.state).toBe('failed');
    expect(isGstrError(error, 'ProviderHookError')).toBe(true);
    const seen = JSON.stringify([session.persist(), session.snapshot.context.error, logged]);
    expect(seen).not.toContain(MOCK_GSTN_CLIENT.clientSecret);
    session.stop();
  });

  it('blanks a provider credential that an error of any kind repeats', async () => {
    // Arrange: a wrapper provider (an app's own) whose failure quotes the client secret.
    const client = await clientWith({});
    const leaky = new Proxy(client, {
      get(target, key) {
        if (key === 'requestOtp') {
          return () => Promise.reject(new Error(`refused ${MOCK_GSTN_CLIENT.clientSecret}`));
        }
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const session = createGstrSession({ provider: leaky, gstin: GSTIN, username: USERNAME });

    // Act
    session.start();
    await rejectionOf(session.credentials({ timeoutMs: 5_000 }));

    // Assert
    expect(session.state).toBe('failed');
    expect(String(session.snapshot.context.error?.message)).toContain('[redacted]');
    expect(JSON.stringify(session.snapshot.context.error)).not.toContain(
      MOCK_GSTN_CLIENT.clientSecret,
    );
    session.stop();
  });
});
