/**
 * Test kit for apps that embed gstr-session: a mock provider that speaks the provider's
 * protocol over real HTTP on 127.0.0.1, a test clock, and a driver that runs a session
 * through a path of steps with simulated time.
 *
 * @packageDocumentation
 */

export type {
  DriverDeadline,
  DriverStep,
  SessionDriver,
} from './drive/createSessionDriver.js';
export { createSessionDriver } from './drive/createSessionDriver.js';
export type { TestClock } from './drive/createTestClock.js';
export { createTestClock } from './drive/createTestClock.js';
export type { ContractTest } from './fleet/coordinatorContract.js';
export { coordinatorContract } from './fleet/coordinatorContract.js';
export type { MemoryFleetStoreOptions } from './fleet/memoryFleetStore.js';
export { memoryFleetStore } from './fleet/memoryFleetStore.js';
export { storeContract } from './fleet/storeContract.js';
export { createMockProvider } from './mock/createMockProvider.js';
export { MOCK_GSTN_CLIENT } from './mock/gstnFace.js';
export type { RigProviderOptions } from './mock/mockClient.js';
export { mockClient } from './mock/mockClient.js';
export { MOCK_SANDBOX_ACCOUNT } from './mock/sandboxFace.js';
export type {
  MockAccount,
  MockFaceName,
  MockFault,
  MockProvider,
  MockProviderOptions,
  MockRoute,
  RecordedRequest,
} from './mock/types.js';
export { MOCK_DEFAULT_ACCOUNT, MOCK_FACES } from './mock/types.js';
export { wrongOtpFor } from './mock/wrongOtp.js';
export type {
  RigSessionOptions,
  TestRig,
  TestRigOptions,
} from './rig/createTestRig.js';
export { createTestRig, RIG_GSTIN, RIG_USERNAME } from './rig/createTestRig.js';
export type { ScaledClock } from './time/createScaledClock.js';
export { createScaledClock } from './time/createScaledClock.js';
