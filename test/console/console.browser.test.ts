import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import { type OperatorConsole, startConsole } from '../../src/console/startConsole.js';
import type { SessionManager } from '../../src/manager/types.js';
import { memoryStore } from '../../src/stores/memoryStore.js';
import { createTestRig, RIG_GSTIN, type TestRig } from '../../src/testing/rig/createTestRig.js';
import { OTHER_GSTIN } from '../helpers/fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '../..');
// CI installs Debian's chromium (.ci/run); a developer machine without it skips, CI never does.
const runBrowser = existsSync(CHROMIUM) || process.env.CI !== undefined;
if (!runBrowser) console.warn('console page test skipped: install Debian package chromium');
const TOKEN = 'a-console-token-the-app-passes-in-0123456789';

/** A raw request as any program on the machine could send it. */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((done, fail) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        res.on('end', () => done({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', fail);
    req.end(options.body);
  });
}

describe.skipIf(!runBrowser)('the operator console in headless Chromium', () => {
  let browser: Browser;
  let rig: TestRig;
  let manager: SessionManager;
  let operator: OperatorConsole;
  let authToken: string;

  beforeAll(async () => {
    rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    manager = rig.manager({ store: memoryStore() });
    // Sessions in several states: authenticated, waiting for an OTP, failed; and one never
    // started, which has no record yet (the console lists the store).
    const done = manager.get(RIG_GSTIN, 'clerk-done');
    done.start();
    ({ authToken } = await done.submitOtp('575757'));
    const waiting = manager.get(RIG_GSTIN, 'clerk-waiting');
    waiting.start();
    await waitFor(waiting.actor, (s) => s.value === 'otpRequested');
    rig.mock.setFault('getOtp', { kind: 'status', status: 503 });
    const failed = manager.get(OTHER_GSTIN, 'clerk-failed');
    failed.start();
    await waitFor(failed.actor, (s) => s.value === 'failed');
    rig.mock.setFault('getOtp', undefined);
    manager.get(OTHER_GSTIN, 'clerk-new');
    await manager.flush();
    operator = await startConsole({ manager, token: TOKEN });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await operator?.close();
    await manager?.close();
    await rig?.close();
  });

  it('lists sessions in their states, takes an OTP typed for one, and asks a new OTP for another', async () => {
    // Arrange
    const page = await browser.newPage();
    const smsBefore = rig.mock.count('getOtp');

    // Act: sign in with the printed link, then work the table.
    await page.goto(operator.newLink());
    const row = (username: string) => page.locator(`tr[data-key$="/${username}"]`);
    await row('clerk-waiting').waitFor();
    expect(page.url()).toBe(operator.url);
    const states = await page.locator('#sessions tbody td.state').allTextContents();
    await page.locator('#figures .figure').first().waitFor();
    await row('clerk-waiting').locator('input[name=otp]').fill('575757');
    await mkdir(join(ROOT, 'test-results'), { recursive: true });
    const picture = join(ROOT, 'docs', 'console.png');
    if (process.env.UPDATE_DOCS_SCREENSHOT || !existsSync(picture))
      await page.screenshot({ path: picture, fullPage: true });
    await page.screenshot({ path: join(ROOT, 'test-results', 'console.png'), fullPage: true });
    await row('clerk-waiting').getByRole('button', { name: 'Submit OTP' }).click();
    await page.locator('#status', { hasText: 'clerk-waiting: authenticated' }).waitFor();
    await row('clerk-failed').getByRole('button', { name: 'Request OTP' }).click();
    await page.locator('#status', { hasText: 'clerk-failed: requested' }).waitFor();
    await row('clerk-failed').locator('td.state', { hasText: 'otpRequested' }).waitFor();

    // Assert
    expect(states.sort()).toEqual(['authenticated', 'failed', 'otpRequested']);
    expect(manager.get(RIG_GSTIN, 'clerk-waiting').state).toBe('authenticated');
    expect(manager.get(OTHER_GSTIN, 'clerk-failed').state).toBe('otpRequested');
    expect(rig.mock.count('getOtp') - smsBefore).toBe(1);
    const html = await page.content();
    expect(html).not.toContain(authToken);
    expect(html).not.toContain(TOKEN);
    await page.close();
  }, 60_000);

  it('refuses a request without the token, with a wrong token, a spent link, or for another Host', async () => {
    // Arrange
    const api = `${operator.url}api/sessions`;
    const port = new URL(operator.url).port;

    // Act
    const none = await raw(api);
    const wrong = await raw(api, {
      headers: { authorization: 'Bearer not-the-token-at-all-000000' },
    });
    const rebound = await raw(api, {
      headers: { authorization: `Bearer ${TOKEN}`, host: `attacker.example:${port}` },
    });
    const bearer = await raw(api, { headers: { authorization: `Bearer ${TOKEN}` } });
    const badLink = await raw(`${operator.url}?token=guess`);
    const link = operator.newLink();
    const firstUse = await raw(link);
    const secondUse = await raw(link);

    // Assert
    expect([none.status, wrong.status, rebound.status, badLink.status]).toEqual([
      401, 401, 403, 401,
    ]);
    expect(bearer.status).toBe(200);
    // A link signs one browser in, once, and never carries the app's token.
    expect(link).not.toContain(TOKEN);
    expect([firstUse.status, secondUse.status]).toEqual([303, 401]);
    expect(JSON.parse(bearer.body).sessions.length).toBe(3);
    expect(bearer.body).not.toContain(authToken);
  });

  it('answers the Host names the app adds (a proxy in front of it), and still no other', async () => {
    // Arrange
    const proxied = await startConsole({ manager, token: TOKEN, hostNames: ['gst-ops.internal'] });
    const api = `${proxied.url}api/sessions`;
    const bearer = { authorization: `Bearer ${TOKEN}` };

    // Act
    const named = await raw(api, { headers: { ...bearer, host: 'gst-ops.internal' } });
    const other = await raw(api, {
      headers: { ...bearer, host: 'gst-ops.internal.attacker.example' },
    });
    await proxied.close();

    // Assert
    expect([named.status, other.status]).toEqual([200, 403]);
  });

  it('refuses a form without its CSRF secret, and never echoes an OTP', async () => {
    // Arrange: a signed-in page's cookie, as a cross-site form would carry it.
    const signIn = await raw(operator.newLink());
    const cookie = String((signIn.headers['set-cookie'] as string[])[0]).split(';')[0] ?? '';
    const body = JSON.stringify({ gstin: RIG_GSTIN, username: 'clerk-new', otp: '123456' });
    const headers = { cookie, 'content-type': 'application/json' };

    // Act
    const forged = await raw(`${operator.url}api/otp`, { method: 'POST', headers, body });
    const page = await raw(operator.url, { headers: { cookie } });
    const csrf = /name="csrf" content="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const crossOrigin = await raw(`${operator.url}api/otp`, {
      method: 'POST',
      headers: { ...headers, 'x-csrf-token': csrf, origin: 'http://attacker.example' },
      body,
    });
    const sent = await raw(`${operator.url}api/otp`, {
      method: 'POST',
      headers: { ...headers, 'x-csrf-token': csrf },
      body,
    });

    // Assert
    expect(signIn.status).toBe(303);
    expect(cookie).toMatch(/^gstr_console=/);
    expect(String((signIn.headers['set-cookie'] as string[])[0])).toMatch(
      /HttpOnly; SameSite=Strict/,
    );
    expect(forged.status).toBe(403);
    expect(crossOrigin.status).toBe(403);
    expect(csrf.length).toBeGreaterThan(20);
    // The session has no OTP round: refused as a state error, and the OTP is not in the answer.
    expect(sent.status).toBe(409);
    expect(JSON.parse(sent.body)).toMatchObject({ error: { name: 'SessionStateError' } });
    expect(sent.body).not.toContain('123456');
  });
});
