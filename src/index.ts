/**
 * gstr-session: the GSTR authentication flow of India's GST system as one XState v5
 * machine, with a typed provider client, typed errors and a session facade. Runs anywhere
 * `fetch` does (Node.js, browsers, workers); the Node.js-only parts (file and encrypted stores,
 * the local inspector) are in `gstr-session/node`.
 *
 * @packageDocumentation
 */

// The input and output types of the machine's actors: the machine's own type names them, so
// an app that exports anything derived from it (declaration: true) must be able to name them.
export type { GetAuthTokenInput } from '../machines/actors/getAuthTokenActor.js';
export type { LogoutInput } from '../machines/actors/logoutActor.js';
export type { RefreshTokenInput } from '../machines/actors/refreshTokenActor.js';
export type { AccessInput, WithAccess } from '../machines/actors/withAccess.js';
export { gstrSessionMachine } from '../machines/gstrSession.machine.js';
export type {
  GstrSessionContext,
  GstrSessionEmitted,
  GstrSessionEvent,
  GstrSessionInput,
  OtpReason,
  ReauthMode,
  ReauthReason,
  SessionConfig,
  SessionDeps,
  SessionState,
  SessionToken,
  StableState,
} from '../machines/gstrSession.types.js';
export {
  DEFAULT_SESSION_CONFIG,
  EMITTED_EVENT_TYPES,
  REAUTH_REASONS,
  TRANSIENT_STATES,
} from '../machines/gstrSession.types.js';
export { toMermaidStateDiagram } from '../machines/toMermaid.js';
export { AccessNotEnabledError } from './errors/AccessNotEnabledError.js';
export { CertificateRejectedError } from './errors/CertificateRejectedError.js';
export { explainError } from './errors/explainError.js';
export type { GstrErrorOptions, GstrStep } from './errors/GstrError.js';
export { GstrError } from './errors/GstrError.js';
export { InvalidInputError } from './errors/InvalidInputError.js';
export type { GstrErrorName, GstrErrorTypes } from './errors/isGstrError.js';
export { isGstrError } from './errors/isGstrError.js';
export { NetworkError } from './errors/NetworkError.js';
export { OtpAttemptsExceededError } from './errors/OtpAttemptsExceededError.js';
export { OtpExpiredError } from './errors/OtpExpiredError.js';
export { OtpRejectedError } from './errors/OtpRejectedError.js';
export { OtpResendRefusedError } from './errors/OtpResendRefusedError.js';
export { ProviderHookError } from './errors/ProviderHookError.js';
export type { ProviderHttpErrorDetails } from './errors/ProviderHttpError.js';
export { ProviderHttpError } from './errors/ProviderHttpError.js';
export type { ProviderUnavailableDetails } from './errors/ProviderUnavailableError.js';
export { ProviderUnavailableError } from './errors/ProviderUnavailableError.js';
export { RateLimitedError } from './errors/RateLimitedError.js';
export type { ReauthenticationReason } from './errors/ReauthenticationRequiredError.js';
export { ReauthenticationRequiredError } from './errors/ReauthenticationRequiredError.js';
export { ResponseTooLargeError } from './errors/ResponseTooLargeError.js';
export { ResponseValidationError } from './errors/ResponseValidationError.js';
export { SessionStateError } from './errors/SessionStateError.js';
export { StoreError } from './errors/StoreError.js';
export { StoreUnavailableError } from './errors/StoreUnavailableError.js';
export { TimeoutError } from './errors/TimeoutError.js';
export { TokenRejectedError } from './errors/TokenRejectedError.js';
export { UnauthorizedError } from './errors/UnauthorizedError.js';
export type { AccountLimits } from './gate/accountLimits.js';
export { ACCOUNT_LIMIT_DEFAULTS } from './gate/accountLimits.js';
export type { GateStore } from './gate/GateStore.js';
export type { GateDecision, GateOutcome, GateWait } from './gate/gateRules.js';
export type { GstnCodeMeaning } from './gstn/gstnCodes.js';
export { gstnCodeMeaning } from './gstn/gstnCodes.js';
export type { RetryPolicy } from './http/retryPolicy.js';
export { createSessionManager } from './manager/createSessionManager.js';
export type { SessionOverview } from './manager/sessionOverview.js';
export type {
  ManagedEvent,
  ManagedSession,
  OtpRequestOutcome,
  RequestOtpsOptions,
  RestoreReport,
  SessionManager,
  SessionManagerOptions,
  SessionPage,
  SessionQuery,
  SessionSummary,
  SkippedRecord,
} from './manager/types.js';
export type {
  AccessToken,
  GstrProvider,
  OtpChallenge,
  ProviderCallOptions,
  ProviderCapabilities,
  ProviderDetails,
  ProviderSecrets,
  ReadCallOptions,
  TaxpayerRef,
  TaxpayerSession,
} from './providers/GstrProvider.js';
export type { SandboxOptions } from './providers/sandbox/options.js';
export { SANDBOX_BASE_URL, SANDBOX_TEST_BASE_URL } from './providers/sandbox/options.js';
export { SandboxClient, sandboxProvider } from './providers/sandbox/SandboxClient.js';
export type { ExpiryUnit } from './providers/signzy/expiry.js';
export type { SignzyOptions } from './providers/signzy/options.js';
export {
  DEFAULT_GSTR_PATH,
  SIGNZY_PRODUCTION_BASE_URL,
  SIGNZY_TEST_BASE_URL,
} from './providers/signzy/options.js';
export type { SignzyCallOptions } from './providers/signzy/SignzyClient.js';
export { SignzyClient, signzyProvider } from './providers/signzy/SignzyClient.js';
export {
  filingPreference,
  financialYearOf,
  gstr1Section,
  gstr2aSection,
  gstr2b,
  gstr3bSummary,
  returnStatus,
} from './reads/builders.js';
export type {
  Gstr1Section,
  Gstr2aSection,
  GstrRead,
  ReadKind,
  ReadOutcome,
} from './reads/GstrRead.js';
export { GSTR1_SECTIONS, GSTR2A_SECTIONS, READ_KINDS } from './reads/GstrRead.js';
export type { NicRead, NicReadKind, SessionRead } from './reads/NicRead.js';
export { isNicRead, NIC_READ_KINDS } from './reads/NicRead.js';
export { ewayBill, irnDetails } from './reads/nicBuilders.js';
export type {
  EwayBillData,
  FilingPreferenceData,
  GstnInvoice,
  GstnPartyInvoices,
  GstnReturnData,
  GstnTaxAmounts,
  Gstr2bData,
  Gstr3bSummaryData,
  GstrReadOf,
  GstrSectionData,
  IrnDetailsData,
  ReadDataByKind,
  ReadDataOf,
  ReturnStatusData,
} from './reads/readData.js';
export { GstinSchema, gstinCheckCharacter, isValidGstin } from './schemas/gstin.js';
export { OtpSchema, UsernameSchema } from './schemas/requests.js';
export { redactDeep } from './secrets/redactDeep.js';
export { createGstrSession } from './session/createGstrSession.js';
export type { Inspector } from './session/createRedactingInspector.js';
export { createRedactingInspector } from './session/createRedactingInspector.js';
export type { GstrSessionSnapshot, PersistedGstrSession } from './session/persistence.js';
export { PERSISTED_VERSION } from './session/persistence.js';
export type {
  CallOptions,
  EmittedOf,
  EmittedType,
  GstrSession,
  GstrSessionOptions,
  SessionClock,
  SessionCredentials,
  SessionLogger,
  WaitOptions,
} from './session/types.js';
export { memoryStore } from './stores/memoryStore.js';
export type { KeyPage, SessionKey, SessionStore } from './stores/SessionStore.js';
export type { AuditHook, AuditRecord, PersonAction } from './telemetry/auditRecord.js';
export { PERSON_ACTIONS } from './telemetry/auditRecord.js';
export type { ErrorSummary } from './telemetry/errorSummary.js';
export type {
  GateTrace,
  LockWaitTrace,
  ProviderCallTrace,
  ScheduleClaimTrace,
} from './telemetry/traceChannels.js';
export { allowGstinInTraces, TRACE_CHANNELS } from './telemetry/traceChannels.js';
