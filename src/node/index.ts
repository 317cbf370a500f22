/**
 * gstr-session/node: the parts that need Node.js (files, `node:crypto`, an HTTP server). The
 * root entry has none of them, so it bundles for browsers, workers and edge runtimes.
 *
 * @packageDocumentation
 */

export type { ConsoleFigures } from '../console/consoleFigures.js';
export type { ConsoleOptions, OperatorConsole } from '../console/startConsole.js';
export { startConsole } from '../console/startConsole.js';
export type { InspectorOptions, InspectorServer } from '../inspection/startInspector.js';
export { startInspector } from '../inspection/startInspector.js';
export type { GstnCertificate } from '../providers/gstn/certificate.js';
export { GstnClient, gstnProvider } from '../providers/gstn/GstnClient.js';
export type {
  GstnAuthAction,
  GstnHeaderContext,
  GstnOptions,
  GstnVersions,
} from '../providers/gstn/options.js';
export { einvoiceProvider } from '../providers/nic/einvoiceProvider.js';
export { ewaybillProvider } from '../providers/nic/ewaybillProvider.js';
export { NicClient } from '../providers/nic/NicClient.js';
export type {
  NicHeaderContext,
  NicHookOptions,
  NicOptions,
  NicPasswordRequest,
  NicService,
} from '../providers/nic/options.js';
export { encryptedStore } from '../stores/encryptedStore.js';
export { fileStore } from '../stores/fileStore.js';
