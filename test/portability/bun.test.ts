import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import { MOCK_DEFAULT_ACCOUNT, type MockProvider } from '../../src/testing/mock/types.js';
import { FLOW_DONE, FLOW_SOURCE } from './flowSource.js';

const ROOT = resolve(import.meta.dirname, '../..');
// `npm test` puts Bun here from the npm package @oven/bun-linux-x64 (src/dev/ensureBun.mjs);
// GSTR_BUN names another. A machine where neither is skips, and says so; CI never skips.
const BUN =
  process.env.GSTR_BUN ?? join(ROOT, 'node_modules', '.cache', 'gstr-session', 'bun', 'bin', 'bun');
const runBun = existsSync(BUN) || process.env.CI !== undefined;
const TMP = join(ROOT, 'test', `.tmp-bun-${process.pid}`);

/** A flow through the built package's root entry, as an app on Bun would run it. */
const SCRIPT = `
import * as lib from ${JSON.stringify(join(ROOT, 'dist', 'src', 'index.js'))};
const { baseUrl, account } = JSON.parse(process.argv[2]);
${FLOW_SOURCE}
console.log(JSON.stringify(result));
`;

describe.skipIf(!runBun)('the built package on Bun', () => {
  let mock: MockProvider | undefined;
  // `npm test` builds first; a bare `vitest` run builds here.
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'src', 'index.js')))
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
  }, 180_000);
  afterAll(async () => {
    await mock?.close();
    await rm(TMP, { recursive: true, force: true });
  });

  it('runs a whole flow against the mock', async () => {
    mock = await createMockProvider({ otpMode: 'sandbox' });
    await mkdir(TMP, { recursive: true });
    const script = join(TMP, 'flow.mjs');
    await writeFile(script, SCRIPT);
    const args = JSON.stringify({ baseUrl: mock.url, account: MOCK_DEFAULT_ACCOUNT });
    const out = await new Promise<string>((done, fail) =>
      execFile(BUN, ['run', script, args], { timeout: 30_000 }, (error, stdout, stderr) =>
        error ? fail(new Error(`${error.message}\n${stderr}`)) : done(stdout),
      ),
    );
    expect(JSON.parse(out.trim())).toEqual(FLOW_DONE);
    expect(mock.count('getAuthToken')).toBe(1);
  });
});

if (!runBun)
  console.warn(
    'Bun is missing (npm test fetches the npm package @oven/bun-linux-x64 on linux-x64; or set GSTR_BUN): the Bun test is skipped',
  );
