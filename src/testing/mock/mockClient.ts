import type { GstrProvider } from '../../providers/GstrProvider.js';
import type { GstnOptions } from '../../providers/gstn/options.js';
import type { SandboxOptions } from '../../providers/sandbox/options.js';
import type { SignzyOptions } from '../../providers/signzy/options.js';
import { MOCK_FACE_KITS } from './faces.js';
import type { MockFaceName, MockProvider, MockProviderOptions } from './types.js';

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
  return MOCK_FACE_KITS[face].client(mock, mockOptions, common);
}
