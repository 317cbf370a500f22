import type { GstrProvider } from '../../providers/GstrProvider.js';
import { GstnClient } from '../../providers/gstn/GstnClient.js';
import type { GstnOptions } from '../../providers/gstn/options.js';
import type { SandboxOptions } from '../../providers/sandbox/options.js';
import { SandboxClient } from '../../providers/sandbox/SandboxClient.js';
import type { SignzyOptions } from '../../providers/signzy/options.js';
import { SignzyClient } from '../../providers/signzy/SignzyClient.js';
import { MOCK_GSTN_CLIENT } from './gstnFace.js';
import { MOCK_SANDBOX_ACCOUNT } from './sandboxFace.js';
import {
  MOCK_DEFAULT_ACCOUNT,
  type MockFaceName,
  type MockProvider,
  type MockProviderOptions,
} from './types.js';

/**
 * Options of the rig's provider client, whichever it is (its base URL, credentials and clock
 * are the rig's): the common ones (`timeoutMs`, `retry`, `maxResponseBytes`, `fetch`) and any
 * of that provider's own.
 */
export type RigProviderOptions = Partial<
  Omit<SignzyOptions & GstnOptions & SandboxOptions, 'baseUrl' | 'now'>
>;

/**
 * The client of the mock's provider face, pointed at the mock, with the mock's test account
 * and `now` as its clock: what the test rig and the demo both run.
 */
export function mockClient(
  face: MockFaceName,
  mock: MockProvider,
  mockOptions: Omit<MockProviderOptions, 'now' | 'face'> | undefined,
  options: RigProviderOptions,
  now: () => number,
): GstrProvider {
  const common = { retry: { limit: 1, backoffLimitMs: 5 }, ...options, baseUrl: mock.url, now };
  if (face === 'gstn') {
    return new GstnClient({
      ...MOCK_GSTN_CLIENT,
      certificate: mock.certificate(),
      ...(mockOptions?.accessDurationMs === undefined
        ? {}
        : { accessDurationMs: mockOptions.accessDurationMs }),
      ...(mockOptions?.gstnRefreshAppKey ? { refreshAppKey: mockOptions.gstnRefreshAppKey } : {}),
      ...common,
    });
  }
  if (face === 'sandbox') return new SandboxClient({ ...MOCK_SANDBOX_ACCOUNT, ...common });
  return new SignzyClient({
    ...MOCK_DEFAULT_ACCOUNT,
    ...(mockOptions?.refreshTask ? { refreshTask: mockOptions.refreshTask } : {}),
    ...(mockOptions?.tokenLifetimeUnit ? { expiryUnit: mockOptions.tokenLifetimeUnit } : {}),
    ...common,
  });
}
