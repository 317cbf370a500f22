/**
 * Test kit for apps that embed gstr-session: a mock provider that speaks the provider's
 * protocol over real HTTP on 127.0.0.1.
 *
 * @packageDocumentation
 */
export { createMockProvider } from './mock/createMockProvider.js';
export type {
  MockAccount,
  MockFault,
  MockProvider,
  MockProviderOptions,
  MockRoute,
  RecordedRequest,
} from './mock/types.js';
export { MOCK_DEFAULT_ACCOUNT } from './mock/types.js';
