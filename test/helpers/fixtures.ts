import type { SignzyOptions } from '../../src/providers/signzy/options.js';
import { SignzyClient } from '../../src/providers/signzy/SignzyClient.js';
import { createMockProvider } from '../../src/testing/mock/createMockProvider.js';
import {
  MOCK_DEFAULT_ACCOUNT,
  type MockProvider,
  type MockProviderOptions,
} from '../../src/testing/mock/types.js';
import { RIG_GSTIN, RIG_USERNAME } from '../../src/testing/rig/createTestRig.js';

/** A GSTIN that passes the checksum, used throughout the tests (the rig's default). */
export const GSTIN = RIG_GSTIN;
/** A second valid GSTIN. */
export const OTHER_GSTIN = '33GSPTN0231G1ZM';
/** The valid GSTIN samples of the domain reference (each passes the checksum). */
export const VALID_GSTINS = [
  '27AAPFU0939F1ZV',
  '33GSPTN0231G1ZM',
  '33GSPTN0792G1Z4',
  '27AAACR5055K1Z7',
  '29AAACB2894G1ZJ',
  '09AAHFC3214F1ZT',
  '27GSPMH0231G1ZZ',
  '07AABCB4635N1ZI',
] as const;

/** A portal username (the rig's default). */
export const USERNAME = RIG_USERNAME;

/** A mock provider and a client pointed at it. */
export interface ClientFixture {
  readonly mock: MockProvider;
  readonly client: SignzyClient;
}

/** Starts a mock provider and a Signzy client against it; close the mock after the test. */
export async function startClientFixture(
  mockOptions: MockProviderOptions = {},
  clientOptions: Partial<SignzyOptions> = {},
): Promise<ClientFixture> {
  const mock = await createMockProvider(mockOptions);
  const client = new SignzyClient({
    ...MOCK_DEFAULT_ACCOUNT,
    baseUrl: mock.url,
    retry: { limit: 2, backoffLimitMs: 20 },
    ...clientOptions,
  });
  return { mock, client };
}

/** Catches what a promise rejects with, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
