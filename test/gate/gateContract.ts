import { expect, it } from 'vitest';
import { type AccountLimits, resolveLimits } from '../../src/gate/accountLimits.js';
import type { GateStore } from '../../src/gate/GateStore.js';
import type { GateDecision } from '../../src/gate/gateRules.js';

/** A gate store under test, and how time passes for it. */
export interface GateUnderTest {
  readonly store: GateStore;
  /**
   * Lets `ms` pass for the store: a fake clock moves; a store that keeps real time (Redis) is
   * left to it, and the scenario asks again until the answer comes.
   */
  pass(ms: number): void;
}

let accounts = 0;
let slots = 0;
const slot = () => `slot-${++slots}`;

/** Asks until the gate admits (time passing between asks), within `ms` of real time. */
async function admittedWithin(
  gate: GateUnderTest,
  account: string,
  limits: ReturnType<typeof resolveLimits>,
  ms: number,
  slotTtlMs = 60_000,
): Promise<GateDecision & { admitted: true }> {
  const until = Date.now() + ms;
  for (;;) {
    const decision = await gate.store.enter(account, slot(), slotTtlMs, limits);
    if (decision.admitted) return decision;
    if (Date.now() > until) throw new Error(`not admitted: ${decision.why}`);
    gate.pass(decision.waitMs);
    await new Promise((r) => setTimeout(r, Math.min(decision.waitMs, 20)));
  }
}

/**
 * The rules every gate store keeps (the in-process one, and the Redis scripts): the same
 * scenarios against each, so that the scripts are held to the rule they copy.
 */
export function gateContract(make: () => Promise<GateUnderTest> | GateUnderTest): void {
  const account = () => `account-${++accounts}`;
  const limitsOf = (limits: AccountLimits) => resolveLimits(limits);

  it('admits up to maxInFlight at once, and the next when one ends', async () => {
    const gate = await make();
    const [a, limits] = [account(), limitsOf({ maxInFlight: 2 })];
    const first = slot();
    expect(await gate.store.enter(a, first, 60_000, limits)).toEqual({
      admitted: true,
      probe: false,
    });
    expect((await gate.store.enter(a, slot(), 60_000, limits)).admitted).toBe(true);
    const third = await gate.store.enter(a, slot(), 60_000, limits);
    expect(third).toMatchObject({ admitted: false, why: 'busy' });
    await gate.store.leave(a, first, 'ok', 0, limits);
    expect((await gate.store.enter(a, slot(), 60_000, limits)).admitted).toBe(true);
  });

  it('frees the slot of a call whose worker died, once its lifetime ends', async () => {
    const gate = await make();
    const [a, limits] = [account(), limitsOf({ maxInFlight: 1 })];
    expect((await gate.store.enter(a, slot(), 150, limits)).admitted).toBe(true);
    expect(await gate.store.enter(a, slot(), 150, limits)).toMatchObject({ why: 'busy' });
    await admittedWithin(gate, a, limits, 5_000);
  });

  it('starts at most burst at once, then ratePerSecond, saying how long to wait', async () => {
    const gate = await make();
    const [a, limits] = [account(), limitsOf({ ratePerSecond: 2, burst: 3 })];
    for (let i = 0; i < 3; i += 1)
      expect((await gate.store.enter(a, slot(), 60_000, limits)).admitted).toBe(true);
    const next = await gate.store.enter(a, slot(), 60_000, limits);
    expect(next).toMatchObject({ admitted: false, why: 'rate' });
    expect(next.admitted === false && next.waitMs).toBeGreaterThan(0);
    expect(next.admitted === false && next.waitMs).toBeLessThanOrEqual(500);
    await admittedWithin(gate, a, limits, 5_000);
  });

  it('holds every caller after a rate limit, for as long as the provider asked', async () => {
    const gate = await make();
    const [a, limits] = [account(), limitsOf({})];
    const first = slot();
    await gate.store.enter(a, first, 60_000, limits);
    await gate.store.leave(a, first, 'limited', 300, limits);
    const held = await gate.store.enter(a, slot(), 60_000, limits);
    expect(held).toMatchObject({ admitted: false, why: 'held' });
    expect(held.admitted === false && held.waitMs).toBeLessThanOrEqual(300);
    await admittedWithin(gate, a, limits, 5_000);
  });

  it('opens the breaker after breakerFaults outages in a row; an answer in between resets the count', async () => {
    const gate = await make();
    const [a, limits] = [account(), limitsOf({ breakerFaults: 2, breakerOpenMs: 60_000 })];
    const end = async (outcome: 'ok' | 'fault') => {
      const id = slot();
      await gate.store.enter(a, id, 60_000, limits);
      await gate.store.leave(a, id, outcome, 0, limits);
    };
    await end('fault');
    await end('ok');
    await end('fault');
    expect((await gate.store.enter(a, slot(), 60_000, limits)).admitted).toBe(true);
    await end('fault');
    const open = await gate.store.enter(a, slot(), 60_000, limits);
    expect(open).toMatchObject({ admitted: false, why: 'open' });
    expect(open.admitted === false && open.waitMs).toBeGreaterThan(59_000);
  });

  it('lets one probe through once open time is over: its answer closes the breaker, its outage reopens it', async () => {
    const gate = await make();
    const [a, limits] = [account(), limitsOf({ breakerFaults: 1, breakerOpenMs: 150 })];
    const opened = slot();
    await gate.store.enter(a, opened, 60_000, limits);
    await gate.store.leave(a, opened, 'fault', 0, limits);
    // The probe fails: open again.
    const probe = await admittedWithin(gate, a, limits, 5_000);
    expect(probe.probe).toBe(true);
    expect(await gate.store.enter(a, slot(), 60_000, limits)).toMatchObject({ why: 'probing' });
    // The probe's slot id is not known here: any outage while half-open reopens it.
    await gate.store.leave(a, 'the-probe', 'fault', 0, limits);
    expect(await gate.store.enter(a, slot(), 60_000, limits)).toMatchObject({ why: 'open' });
    // The next probe answers: closed, everyone passes.
    const second = await admittedWithin(gate, a, limits, 5_000);
    expect(second.probe).toBe(true);
    await gate.store.leave(a, 'the-second-probe', 'ok', 0, limits);
    expect(await gate.store.enter(a, slot(), 60_000, limits)).toEqual({
      admitted: true,
      probe: false,
    });
  });

  it('keeps one account apart from another', async () => {
    const gate = await make();
    const [a, b, limits] = [account(), account(), limitsOf({ maxInFlight: 1 })];
    await gate.store.enter(a, slot(), 60_000, limits);
    expect((await gate.store.enter(b, slot(), 60_000, limits)).admitted).toBe(true);
  });
}
