import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InspectorServer, startInspector } from '../../src/inspection/startInspector.js';
import { SignzyClient } from '../../src/providers/signzy/SignzyClient.js';
import { createGstrSession } from '../../src/session/createGstrSession.js';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import { MOCK_DEFAULT_ACCOUNT, type MockProvider } from '../../src/testing/mock/types.js';
import { GSTIN, USERNAME } from '../helpers/fixtures.js';
import { leakedSecrets } from '../helpers/leaks.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '../..');
// CI installs Debian's chromium (.ci/run); a developer machine without it skips, CI never does.
const runBrowser = existsSync(CHROMIUM) || process.env.CI !== undefined;

let inspector: InspectorServer;
let mock: MockProvider;
beforeAll(async () => {
  inspector = await startInspector();
  mock = await createMockProvider({ otpMode: 'sandbox' });
});
afterAll(async () => {
  await inspector.close();
  await mock.close();
});

/** Reads the raw Server-Sent Events stream, as any client on the machine could. */
function tapEvents(url: string): { text: () => string; stop: () => void } {
  let text = '';
  const req = request(`${url}events`, (res) =>
    res.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    }),
  );
  req.end();
  return { text: () => text, stop: () => req.destroy() };
}

describe.skipIf(!runBrowser)('inspector page in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('follows a session live through login, OTP and authenticated, and shows no secret', async () => {
    // Arrange
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(inspector.url);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'live');
    const tap = tapEvents(inspector.url);
    const provider = new SignzyClient({ ...MOCK_DEFAULT_ACCOUNT, baseUrl: mock.url });
    const session = createGstrSession({
      provider,
      gstin: GSTIN,
      username: USERNAME,
      inspect: inspector.inspect,
    });

    // Act + Assert: the highlighted state follows the session
    session.start();
    await page.waitForFunction(
      () => document.body.dataset.currentState === 'otpRequested',
      undefined,
      { timeout: 10_000 },
    );
    const credentials = await session.submitOtp('575757');
    await page.waitForFunction(
      () => document.body.dataset.currentState === 'authenticated',
      undefined,
      { timeout: 10_000 },
    );
    expect(await page.locator('.node.current').count()).toBe(1);
    expect(await page.locator('.node.current').getAttribute('data-state')).toBe('authenticated');
    const log = await page.locator('#log').textContent();
    for (const line of [
      'loggedOut → loggingIn',
      'event otp.submit',
      'verifyingOtp → authenticated',
    ])
      expect(log).toContain(line);
    expect(await page.locator('#sessions li').textContent()).toContain(GSTIN);

    // Assert: no secret in the page or on the wire
    const secrets = [
      MOCK_DEFAULT_ACCOUNT.password,
      '575757',
      credentials.authToken,
      credentials.sek,
      credentials.appKey,
      credentials.accessToken,
    ];
    await new Promise((r) => setTimeout(r, 50));
    tap.stop();
    expect(tap.text()).toContain('authenticated');
    expect(leakedSecrets(await page.content(), secrets)).toEqual([]);
    expect(leakedSecrets(tap.text(), secrets)).toEqual([]);

    // A picture of it: a test artifact, and the docs' picture when asked for (or missing).
    await mkdir(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-results', 'inspector.png') });
    const docsPicture = join(ROOT, 'docs', 'inspector.png');
    if (process.env.UPDATE_DOCS_SCREENSHOT || !existsSync(docsPicture))
      await page.screenshot({ path: docsPicture });

    session.stop();
    await page.close();
  });
});

describe('inspector server', () => {
  it('refuses a request for another host name', async () => {
    const status = await new Promise<number>((done, fail) => {
      const req = request(inspector.url, { headers: { host: 'attacker.example:80' } }, (res) =>
        done(res.statusCode ?? 0),
      );
      req.on('error', fail);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('serves the machine graph with every state', async () => {
    const graph = (await (await fetch(`${inspector.url}graph`)).json()) as {
      states: { id: string }[];
      initial: string;
    };
    expect(graph.initial).toBe('loggedOut');
    expect(graph.states.map((s) => s.id)).toContain('otpRequested');
  });
});
