import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { memoryFleetStore } from '../../src/testing/fleet/memoryFleetStore.js';
import { MOCK_DEFAULT_ACCOUNT } from '../../src/testing/mock/types.js';
import { createTestRig, RIG_GSTIN, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { leakedSecrets } from '../helpers/leaks.js';

const USER = 'clerk';

let rig: TestRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** The fleet protocol's snapshots the inspector saw, as their state values. */
function fleetStates(events: readonly InspectionEvent[]): { lock: unknown; record: unknown }[] {
  return events.flatMap((event) => {
    if (event.type !== '@xstate.snapshot') return [];
    const ref = event.actorRef as { logic?: { config?: { id?: string } } };
    if (ref.logic?.config?.id !== 'fleetSync') return [];
    const value = (event.snapshot as { value?: { lock: unknown; record: unknown } }).value;
    return value ? [value] : [];
  });
}

describe('the fleet protocol under the inspector', () => {
  it('shows each session lock and commit as states, redacted like the session', async () => {
    // Arrange
    const seen: InspectionEvent[] = [];
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const manager = rig.manager({
      store: memoryFleetStore(),
      inspect: (event) => seen.push(event),
    });

    // Act
    await manager.requestOtps([{ gstin: RIG_GSTIN, username: USER }]);
    const otp = rig.otp();
    await manager.submitOtp(RIG_GSTIN, USER, otp);
    const credentials = await manager.credentials(RIG_GSTIN, USER);
    await manager.close();

    // Assert: the lock was held for each provider call and the record committed, in states
    const states = fleetStates(seen);
    expect(states.some((s) => JSON.stringify(s.lock) === '{"held":"calling"}')).toBe(true);
    expect(states.some((s) => s.record === 'committing')).toBe(true);
    expect(states.at(-1)).toEqual({ lock: 'free', record: 'inSync' });
    const secrets = [
      MOCK_DEFAULT_ACCOUNT.password,
      otp,
      credentials.authToken,
      ...Object.values(credentials.secrets ?? {}),
    ];
    const printed = seen
      .map((event) => inspect(event, { depth: Number.POSITIVE_INFINITY, showHidden: true }))
      .join('\n');
    expect(leakedSecrets(printed, secrets)).toEqual([]);
  });
});
