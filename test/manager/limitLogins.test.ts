import { describe, expect, it, vi } from 'vitest';
import { limitLogins } from '../../src/manager/limitLogins.js';
import type { AccessToken, GstrProvider } from '../../src/providers/GstrProvider.js';
import { rejectionOf } from '../helpers/fixtures.js';

/** A provider whose logins stay open until the test ends them, in order. */
function heldLogins() {
  const open: ((access: AccessToken) => void)[] = [];
  const provider = {
    name: 'held',
    capabilities: {
      login: true,
      refresh: false,
      logout: false,
      accessDuration: false,
      reads: false,
    },
    login: () => new Promise<AccessToken>((resolve) => open.push(resolve)),
  } as unknown as GstrProvider;
  const finish = () =>
    open.shift()?.({ accessToken: `token-${open.length}`, expiresAt: Date.now() + 60_000 });
  return { provider, open, finish };
}

describe('limitLogins', () => {
  it('lets a queued login be given up: it leaves the queue and the next one gets the slot', async () => {
    // Arrange: one slot, taken; two logins queued behind it.
    const { provider, open, finish } = heldLogins();
    const limited = limitLogins(provider, 1);
    const first = limited.login?.();
    const app = new AbortController();
    const givenUp = rejectionOf(limited.login?.({ signal: app.signal }) as Promise<unknown>);
    const third = limited.login?.();

    await vi.waitFor(() => expect(open).toHaveLength(1));

    // Act
    app.abort(new Error('the caller left'));
    finish();
    await first;
    await new Promise((resolve) => setImmediate(resolve));

    // Assert: the abandoned login never ran; the third did.
    expect(await givenUp).toEqual(new Error('the caller left'));
    await vi.waitFor(() => expect(open).toHaveLength(1));
    finish();
    await expect(third).resolves.toMatchObject({ accessToken: expect.any(String) });
  });
});
