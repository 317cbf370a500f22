import { GstrError, type GstrStep } from './GstrError.js';

/**
 * A hook the app gave a provider (a GSP's `headers()`, `onCertificateRejected()`) threw,
 * rejected or returned something unusable. The hook's own error is not kept: it is the app's
 * code, and its message may hold what it was signing with (a client secret). Only the kind of
 * error it threw is named.
 *
 * @example
 * ```ts
 * if (isGstrError(error, 'ProviderHookError')) console.error(error.hook, error.causeName);
 * ```
 */
export class ProviderHookError extends GstrError {
  override readonly name = 'ProviderHookError';
  override readonly code: string = 'GSTR_PROVIDER_HOOK';
  /** The hook that failed, e.g. `headers()`. */
  readonly hook: string;
  /** The class name of what the hook threw (`Error`, `TypeError`...), never its message. */
  readonly causeName: string;

  constructor(hook: string, causeName: string, options: { readonly step: GstrStep }) {
    super(`${options.step} failed: the app's ${hook} hook threw ${causeName}`, {
      step: options.step,
    });
    this.hook = hook;
    this.causeName = causeName;
  }
}
