/** The provider's own session (the `login` answer): the access token used on every call. */
export interface AccessToken {
  /** The provider access token, sent raw in the `Authorization` header. Secret. */
  readonly accessToken: string;
  /** The provider's id for the API user (`userId` of the login answer). */
  readonly patronId: string;
  /** When the access token stops working, as epoch milliseconds. */
  readonly expiresAt: number;
}

/** The answer of an OTP request: an SMS went to the taxpayer, and this appKey goes with it. */
export interface OtpRequestResult {
  /** The app key to send back with the OTP. Secret. */
  readonly appKey: string;
  /** The provider's status message, if any. */
  readonly message?: string | undefined;
}

/** A GSTR auth token and what goes with it. */
export interface AuthTokenResult {
  /** The GSTR auth token. Secret. */
  readonly authToken: string;
  /** The session encryption key. Secret. */
  readonly sek: string;
  /** When the auth token expires, as epoch milliseconds. */
  readonly expiresAt: number;
  /** The provider's status message, if any. */
  readonly message?: string | undefined;
}

/** Who a GSTR session is for. */
export interface TaxpayerRef {
  /** The taxpayer's GSTIN. */
  readonly gstin: string;
  /** The taxpayer's GST portal username. */
  readonly username: string;
}

/** Options of every authenticated provider call. */
export interface ProviderCallOptions {
  /** The access token from `login`. */
  readonly access: AccessToken;
  /** Aborts the request (leaving a machine state aborts its request). */
  readonly signal?: AbortSignal | undefined;
}

/**
 * What a GSTR session needs from a provider. The Signzy client implements it; another
 * provider (or GSTN directly) can be plugged in by implementing these calls.
 */
export interface GstrProvider {
  /** A short name for logs, e.g. `signzy`. */
  readonly name: string;
  /** Logs in to the provider and returns a fresh access token. */
  login(options?: { signal?: AbortSignal | undefined }): Promise<AccessToken>;
  /** Asks for an OTP to be sent to the taxpayer's mobile. Never retried once sent. */
  requestOtp(input: TaxpayerRef, options: ProviderCallOptions): Promise<OtpRequestResult>;
  /** Exchanges the OTP and appKey for an auth token. Never retried once sent. */
  getAuthToken(
    input: TaxpayerRef & { readonly otp: string; readonly appKey: string },
    options: ProviderCallOptions,
  ): Promise<AuthTokenResult>;
  /** Extends an auth token without a new OTP, where the provider offers it. */
  refreshToken?(
    input: TaxpayerRef & { readonly authToken: string; readonly appKey: string },
    options: ProviderCallOptions,
  ): Promise<AuthTokenResult>;
  /** Ends the provider session (the access token), where the provider offers it. */
  logout?(options: ProviderCallOptions): Promise<void>;
}
