/**
 * The example of docs/testing.md: how an app that embeds gstr-session tests its own code
 * with a model-based test, using only the public API and the test kit.
 */

import { afterEach, describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { type GstrSession, isGstrError, type SignzyClient } from '../../src/index.js';
import { createTestRig, type SessionDriver } from '../../src/testing/index.js';

// --- The app's own code under test ---------------------------------------------------------

/** A background job: fetch a GSTR-3B summary, or say that a person must re-authenticate. */
async function fetchSummary(
  session: GstrSession,
  client: SignzyClient,
): Promise<'fetched' | 'needs a person'> {
  try {
    const { authToken, appKey, sek, gstin, username } = await session.credentials({
      timeoutMs: 1_000,
    });
    await client.call('gstr3bSummary', {
      gstin,
      username,
      authToken,
      appKey,
      sek,
      retPeriod: '042026',
    });
    return 'fetched';
  } catch (error) {
    if (
      isGstrError(error, 'ReauthenticationRequiredError') ||
      isGstrError(error, 'SessionStateError')
    ) {
      return 'needs a person';
    }
    throw error;
  }
}

// --- The app's model: what a user sees, and what the job must answer in each state ---------

const appModel = createMachine({
  id: 'app',
  initial: 'signedOut',
  states: {
    signedOut: { on: { SIGN_IN: 'waitingForOtp' } },
    waitingForOtp: { on: { TYPE_OTP: 'ready' } },
    ready: { on: { SIX_HOURS_PASS: 'expired', SIGN_OUT: 'signedOut' } },
    expired: { on: { REAUTHENTICATE: 'waitingForOtp', SIGN_OUT: 'signedOut' } },
  },
});

// --- The test ---------------------------------------------------------------------------

const GSTIN = '27AAPFU0939F1ZV';
let closeRig: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeRig?.();
  closeRig = undefined;
});

async function harness(): Promise<{ driver: SessionDriver; client: SignzyClient }> {
  const rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
  closeRig = () => rig.close();
  const session = rig.session({ gstin: GSTIN, username: 'portal-user', reauth: 'manual' });
  // The rig runs Signzy by default: its client is a SignzyClient.
  return { driver: rig.driver(session), client: rig.provider as SignzyClient };
}

describe('an app job over a GSTR session (model-based)', () => {
  const model = createTestModel(appModel);

  for (const path of model.getSimplePaths()) {
    it(path.description, async () => {
      const { driver, client } = await harness();
      await path.test({
        events: {
          SIGN_IN: async () => void (await driver.step({ type: 'start' })),
          TYPE_OTP: async () => void (await driver.step({ type: 'submitOtp', otp: 'sms' })),
          SIX_HOURS_PASS: async () =>
            void (await driver.step({ type: 'advanceTo', deadline: 'tokenExpiry' })),
          REAUTHENTICATE: async () => void (await driver.step({ type: 'reauthenticate' })),
          SIGN_OUT: async () => void (await driver.step({ type: 'logout' })),
        },
        states: {
          signedOut: async () =>
            expect(await fetchSummary(driver.session, client)).toBe('needs a person'),
          waitingForOtp: () => expect(driver.session.state).toBe('otpRequested'),
          ready: async () => expect(await fetchSummary(driver.session, client)).toBe('fetched'),
          expired: async () =>
            expect(await fetchSummary(driver.session, client)).toBe('needs a person'),
        },
      });
      driver.session.stop();
    });
  }

  it('walks a path to every state of the app model', () => {
    // Each path's test asserts the app in every state it passes through.
    const reached = new Set(
      model.getSimplePaths().flatMap((path) => path.steps.map((step) => String(step.state.value))),
    );
    expect([...reached].sort()).toEqual(Object.keys(appModel.states).sort());
  });
});
