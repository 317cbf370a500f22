import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import { MOCK_DEFAULT_ACCOUNT, type MockProvider } from '../../src/testing/mock/types.js';
import { FLOW_DONE, FLOW_SOURCE } from './flowSource.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
// CI installs Debian's chromium (.ci/run); a developer machine without it skips, CI never does.
const runBrowser = existsSync(CHROMIUM) || process.env.CI !== undefined;

/** The root entry bundled as a browser, worker or edge runtime would take it. */
async function bundleCore(): Promise<string> {
  const result = await build({
    entryPoints: [join(ROOT, 'src', 'index.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

let core = '';
beforeAll(async () => {
  core = await bundleCore();
}, 60_000);

describe('the core entry (gstr-session)', () => {
  it('bundles for a neutral platform with no node: import', () => {
    expect(core.length).toBeGreaterThan(10_000);
    expect(core).not.toMatch(/from\s*["']node:/);
    expect(core).not.toMatch(/\brequire\(["']node:/);
    expect(core).not.toMatch(/import\(["']node:/);
  });
});

describe.skipIf(!runBrowser)('the core entry in headless Chromium', () => {
  if (!existsSync(CHROMIUM))
    console.warn('Debian package chromium is missing: the browser test of the core is skipped');
  let browser: Browser | undefined;
  let page: Server | undefined;
  let mock: MockProvider | undefined;
  afterAll(async () => {
    await browser?.close();
    page?.close();
    await mock?.close();
  });

  it('runs a whole flow against the mock: login, OTP, token, logout', async () => {
    mock = await createMockProvider({ otpMode: 'sandbox', cors: true });
    // The page and the bundle come from a loopback server of their own (another origin).
    page = createServer((req, res) => {
      if (req.url === '/core.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(core);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>core</title>');
    });
    await new Promise<void>((r) => page?.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    const tab = await browser.newPage();
    await tab.goto(`${origin}/`);
    // A string, not a function: the test runner would rewrite a function's `import()`.
    const args = JSON.stringify({
      coreUrl: `${origin}/core.js`,
      baseUrl: mock.url,
      account: MOCK_DEFAULT_ACCOUNT,
    });
    const result = await tab.evaluate(`(async ({ coreUrl, baseUrl, account }) => {
      const lib = await import(coreUrl);
      ${FLOW_SOURCE}
      return result;
    })(${args})`);
    expect(result).toEqual(FLOW_DONE);
    expect(mock.count('getAuthToken')).toBe(1);
  });
});
