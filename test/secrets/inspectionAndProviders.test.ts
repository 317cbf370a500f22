import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { isGstrError } from '../../src/errors/isGstrError.js';
import { MOCK_DEFAULT_ACCOUNT } from '../../src/testing/mock/types.js';
import { rejectionOf } from '../helpers/fixtures.js';
import { leakedSecrets } from '../helpers/leaks.js';
import { overriding } from '../helpers/overriding.js';
import { useSessionFixture } from '../helpers/sessionFixture.js';

/**
 * Every string reachable from a value: own properties of every kind (symbols, non-enumerable,
 * getters read in a try), array items, prototypes that are not built-in, and the results of
 * zero-argument methods named like readers (`getSnapshot`, `toJSON`).
 */
function reachableStrings(root: unknown): string[] {
  const out: string[] = [];
  const seen = new Set<unknown>();
  const builtIn = new Set<unknown>([
    Object.prototype,
    Function.prototype,
    Array.prototype,
    Error.prototype,
    Map.prototype,
    Set.prototype,
  ]);
  const queue: unknown[] = [root];
  while (queue.length > 0 && seen.size < 200_000) {
    const value = queue.shift();
    if (typeof value === 'string') {
      out.push(value);
      continue;
    }
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) continue;
    if (seen.has(value)) continue;
    seen.add(value);
    if (value instanceof Map) for (const [k, v] of value) queue.push(k, v);
    if (value instanceof Set) for (const v of value) queue.push(v);
    for (const key of Reflect.ownKeys(value)) {
      if (typeof key === 'string') out.push(key);
      try {
        const child: unknown = Reflect.get(value, key);
        queue.push(child);
        if (
          typeof child === 'function' &&
          /^(get[A-Z]\w*|toJSON)$/.test(String(key)) &&
          child.length === 0
        ) {
          queue.push(Reflect.apply(child, value, []));
        }
      } catch {
        // A getter that throws shows nothing.
      }
    }
    const proto = Object.getPrototypeOf(value);
    if (proto && !builtIn.has(proto)) queue.push(proto);
  }
  return out;
}

describe('secrets in inspection events', () => {
  const start = useSessionFixture();

  it('are reachable from no inspection event by any property path, nor printed by util.inspect', async () => {
    const raw: InspectionEvent[] = [];
    const f = await start({
      refreshTask: 'refreshToken',
      session: { inspect: (event) => raw.push(event) },
    });
    f.session.start();
    await f.until('otpRequested');
    const secrets = new Set<string>([MOCK_DEFAULT_ACCOUNT.password]);
    const wrong = f.wrongOtp();
    secrets.add(wrong);
    await rejectionOf(f.session.submitOtp(wrong));
    const otp = f.otp();
    secrets.add(otp);
    await f.session.submitOtp(otp);
    const first = f.session.snapshot.context;
    for (const s of [
      first.access?.accessToken,
      first.token?.authToken,
      ...Object.values(first.token?.secrets ?? {}),
    ])
      if (s) secrets.add(s);
    // Into the lead time: a refresh brings a second token and sek.
    f.advance(6 * 60 * 60_000 - 4 * 60_000);
    await vi.waitFor(
      () => expect(f.session.snapshot.context.token?.authToken).not.toBe(first.token?.authToken),
      { timeout: 10_000 },
    );
    await f.until('authenticated');
    const second = f.session.snapshot.context.token;
    if (second)
      for (const s of [second.authToken, ...Object.values(second.secrets)]) secrets.add(s);
    f.session.reportTokenRejected();
    await f.session.logout();
    expect(raw.length).toBeGreaterThan(20);
    expect(secrets.size).toBeGreaterThanOrEqual(8);

    for (const event of raw) {
      const strings = reachableStrings(event).join('\n');
      expect(leakedSecrets(strings, secrets), `${event.type} by property path`).toEqual([]);
      const printed = inspect(event, { depth: Number.POSITIVE_INFINITY, showHidden: true });
      expect(leakedSecrets(printed, secrets), `${event.type} by util.inspect`).toEqual([]);
    }
  });

  it('never breaks the session when the inspector throws', async () => {
    const f = await start({
      session: {
        inspect: () => {
          throw new Error('inspector bug');
        },
      },
    });
    await f.authenticate();
    expect(f.session.state).toBe('authenticated');
  });
});

describe('errors of any provider', () => {
  const start = useSessionFixture();

  it('are scrubbed of the OTP, appKey and tokens in message, cause, logs, events and inspection', async () => {
    const raw: InspectionEvent[] = [];
    let thrown: Error | undefined;
    const f = await start({
      session: { inspect: (event) => raw.push(event) },
      // A provider on the public interface that throws whatever its upstream said.
      wrap: (inner) =>
        overriding(inner, {
          name: 'leaky',
          getAuthToken: async (input, options) => {
            const appKey = input.challenge.secrets.appKey;
            thrown = new Error(
              `refused otp=${input.otp} appKey=${appKey} token=${options.access?.accessToken}`,
              { cause: { request: { otp: input.otp, appKey } } },
            );
            throw thrown;
          },
        }),
    });
    f.session.start();
    await f.until('otpRequested');
    const otp = f.otp();
    const error = await rejectionOf(f.session.submitOtp(otp));
    const context = f.session.snapshot.context;
    const secrets = [
      otp,
      context.challenge?.secrets.appKey ?? '',
      context.access?.accessToken ?? '',
    ];
    expect(secrets.every((s) => s.length >= 6)).toBe(true);
    // The raw error held all three: the test would see them if anything kept it.
    expect(leakedSecrets(thrown?.message ?? '', secrets)).toEqual([0, 1, 2]);

    expect(isGstrError(error)).toBe(true);
    const held = context.error;
    for (const e of [error, held]) {
      const text = [
        (e as Error).message,
        (e as Error).stack,
        JSON.stringify(e),
        inspect(e, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
        reachableStrings(e).join('\n'),
      ].join('\n');
      expect(leakedSecrets(text, secrets)).toEqual([]);
    }
    expect((error as Error).message).toContain('[redacted]');
    expect(leakedSecrets(f.logs.join('\n'), secrets)).toEqual([]);
    expect(leakedSecrets(inspect(f.events, { depth: Number.POSITIVE_INFINITY }), secrets)).toEqual(
      [],
    );
    for (const event of raw) {
      expect(leakedSecrets(reachableStrings(event).join('\n'), secrets)).toEqual([]);
    }
  });
});
