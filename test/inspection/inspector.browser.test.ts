import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type InspectorServer, startInspector } from '../../src/inspection/startInspector.js';
import { SignzyClient } from '../../src/providers/signzy/SignzyClient.js';
import { createGstrSession } from '../../src/session/createGstrSession.js';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import { MOCK_DEFAULT_ACCOUNT, type MockProvider } from '../../src/testing/mock/types.js';
import { createTestRig } from '../../src/testing/rig/createTestRig.js';
import { GSTIN, OTHER_GSTIN, USERNAME } from '../helpers/fixtures.js';
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
    // A picture of it mid-flow, on real time (the countdowns read the page's clock): a test
    // artifact, and the docs' picture when asked for.
    await page.waitForFunction(() =>
      /min/.test(document.getElementById('d-otp')?.textContent ?? ''),
    );
    await mkdir(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-results', 'inspector.png'), fullPage: true });
    const docsPicture = join(ROOT, 'docs', 'inspector.png');
    if (process.env.UPDATE_DOCS_SCREENSHOT || !existsSync(docsPicture))
      await page.screenshot({ path: docsPicture, fullPage: true });
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
    ].filter((s): s is string => s !== undefined);
    await vi.waitFor(() => expect(tap.text()).toContain('authenticated'), { timeout: 10_000 });
    tap.stop();
    expect(leakedSecrets(await page.content(), secrets)).toEqual([]);
    expect(leakedSecrets(tap.text(), secrets)).toEqual([]);

    session.stop();
    await page.close();
  });

  it('fits a 1400x900 window: the chart in its box, the flow from the marked initial state, the newest request in view', async () => {
    // Arrange: a session with more requests than its box shows at once.
    const rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const own = await startInspector();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(own.url);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'live');
    const session = rig.session({
      inspect: own.inspect,
      otpResendCooldownMs: 0,
      maxOtpResends: 20,
    });

    // Act
    session.start();
    await session.submitOtp('575757');
    await session.logout();
    for (let round = 0; round < 6; round += 1) {
      session.start();
      await session.once('otp.required', { timeoutMs: 10_000 });
      await session.logout();
    }
    await page.waitForFunction(() => document.querySelectorAll('#requests li').length >= 14);
    await mkdir(join(ROOT, 'test-results'), { recursive: true });
    const picture = join(ROOT, 'test-results', 'inspector-1400x900.png');
    await page.screenshot({ path: picture });
    console.info(`inspector at 1400x900: ${picture}`);

    // Assert: the chart is no wider than its box, and no label is cut at its edges.
    const fit = await page.evaluate(() => {
      const wrap = document.getElementById('chart-wrap') as HTMLElement;
      const svg = document.getElementById('chart') as unknown as SVGSVGElement;
      const [x = 0, y = 0, w = 0, h = 0] = (svg.getAttribute('viewBox') ?? '')
        .split(' ')
        .map(Number);
      const labels = Array.from(svg.querySelectorAll('text')).map((t) =>
        (t as SVGGraphicsElement).getBBox(),
      );
      return {
        overflow: wrap.scrollWidth - wrap.clientWidth,
        svgWidth: svg.getBoundingClientRect().width,
        wrapWidth: wrap.clientWidth,
        cut: labels.filter(
          (b) => b.x < x || b.y < y || b.x + b.width > x + w || b.y + b.height > y + h,
        ).length,
      };
    });
    expect(fit.overflow).toBeLessThanOrEqual(0);
    expect(fit.svgWidth).toBeLessThanOrEqual(fit.wrapWidth);
    expect(fit.cut).toBe(0);
    // The flow starts at the top with the initial state, marked; the logout path is below it.
    const top = await page.evaluate(() => {
      const yOf = (state: string) =>
        (document.querySelector(`[data-state="${state}"] rect`) as SVGGraphicsElement).getBBox().y;
      return {
        initial: document.querySelector('[data-initial]')?.getAttribute('data-initial'),
        loggedOut: yOf('loggedOut'),
        lowest: Math.min(
          ...Array.from(document.querySelectorAll('.node rect')).map(
            (r) => (r as SVGGraphicsElement).getBBox().y,
          ),
        ),
        loggingOut: yOf('loggingOut'),
        anyState: yOf('any state'),
      };
    });
    expect(top.initial).toBe('loggedOut');
    expect(top.loggedOut).toBe(top.lowest);
    expect(top.anyState).toBeGreaterThan(top.loggedOut);
    expect(top.loggingOut).toBeGreaterThan(top.loggedOut);
    // The requests box shows its newest entry.
    const requests = await page.evaluate(() => {
      const box = document.getElementById('requests') as HTMLElement;
      const last = box.lastElementChild as HTMLElement;
      const boxRect = box.getBoundingClientRect();
      const lastRect = last.getBoundingClientRect();
      return {
        scrolled: box.scrollHeight > box.clientHeight,
        lastInView: lastRect.bottom <= boxRect.bottom + 1 && lastRect.top >= boxRect.top - 1,
      };
    });
    expect(requests).toEqual({ scrolled: true, lastInView: true });

    session.stop();
    await page.close();
    await own.close();
    await rig.close();
  });

  it('shows what a person watching needs: labelled arrows, every state, countdowns, counters, requests, filters', async () => {
    // Arrange: two sessions on simulated time (the inspector's own clock is the wall clock).
    const rig = await createTestRig({ mock: { otpMode: 'sandbox' } });
    const own = await startInspector(); // a fresh one: no session of the other test in its list
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(own.url);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'live');
    const watched = rig.session({ inspect: own.inspect, clockCheckMs: 60_000 });
    const other = rig.session({ gstin: OTHER_GSTIN, inspect: own.inspect });
    try {
      // Act: the watched session asks for an OTP; the page follows it mid-flow.
      watched.start();
      await page.waitForFunction(() => document.body.dataset.currentState === 'otpRequested');
      await page.locator('#sessions li', { hasText: GSTIN }).click();
      other.start();

      // Assert: arrows carry their events; arrows shared by many states are gathered.
      expect(
        await page.locator('.edge-label[data-edge="otpRequested->verifyingOtp"]').textContent(),
      ).toBe('otp.submit');
      expect(await page.locator('.node[data-state="any state"]').count()).toBe(1);
      // The details of the selected session, with live countdowns and counters.
      expect(await page.locator('#d-user').textContent()).toBe(USERNAME);
      expect(await page.locator('#d-otp').textContent()).toMatch(/min/);
      expect(await page.locator('#d-attempts').textContent()).toBe('3');
      expect(await page.locator('#d-resends').textContent()).toBe('3');
      // The request sequence, with outcomes and durations.
      const requests = await page.locator('#requests li:not([hidden])').allTextContents();
      expect(requests.join('\n')).toMatch(
        /→ login[\s\S]*← login done \(\d+ ms\)[\s\S]*→ requestOtp/,
      );

      // Act: the token runs out; auto mode passes through the transient `expired`.
      await watched.submitOtp('575757');
      rig.clock.advance(6 * 60 * 60_000);
      await page.waitForFunction(() => document.body.dataset.currentState === 'otpRequested');
      const log = await page.locator('#log tr:not(.hidden)').allTextContents();
      expect(log.join('\n')).toContain('authenticated → expired');
      expect(log.join('\n')).toContain('expired → requestingOtp');
      // Timers are hidden by default, and the log is the selected session's.
      expect(await page.locator('#log tr[data-kind="timer"]').count()).toBeGreaterThan(0);
      expect(await page.locator('#log tr[data-kind="timer"]:not(.hidden)').count()).toBe(0);
      expect(log.join('\n')).not.toContain(OTHER_GSTIN);
      await page.locator('#filters [data-kind="timer"]').check();
      await page.locator('#f-all').check();
      expect(await page.locator('#log tr[data-kind="timer"]:not(.hidden)').count()).toBeGreaterThan(
        0,
      );
      expect(
        await page.locator('#log tr:not(.hidden)', { hasText: OTHER_GSTIN }).count(),
      ).toBeGreaterThan(0);
    } finally {
      await page.close();
      await rig.close();
      await own.close();
    }
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

  it('serves its icon', async () => {
    const answer = await fetch(`${inspector.url}favicon.svg`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('image/svg+xml');
    expect(await answer.text()).toMatch(/^<svg /);
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
