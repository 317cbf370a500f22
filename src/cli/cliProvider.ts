import { readFile } from 'node:fs/promises';
import type { GstrProvider } from '../providers/GstrProvider.js';
import { GstnClient } from '../providers/gstn/GstnClient.js';
import { SANDBOX_BASE_URL } from '../providers/sandbox/options.js';
import { SandboxClient } from '../providers/sandbox/SandboxClient.js';
import { EXPIRY_UNITS, type ExpiryUnit } from '../providers/signzy/expiry.js';
import { SIGNZY_TEST_BASE_URL } from '../providers/signzy/options.js';
import { SignzyClient } from '../providers/signzy/SignzyClient.js';
import { withFlagNames } from './flagErrors.js';
import { UsageError } from './UsageError.js';

/** The providers the CLI logs in with. */
export const CLI_PROVIDERS = ['signzy', 'gstn', 'sandbox'] as const;

/** A provider the CLI logs in with. */
export type CliProviderName = (typeof CLI_PROVIDERS)[number];

/** GSTN's public sandbox host (the default of `--provider gstn`). */
export const GSTN_SANDBOX_BASE_URL = 'http://devapi.gstsystem.co.in';

/**
 * The environment variables each provider's credentials come from (never the command line,
 * where every user of the machine could read them).
 */
export const CLI_PROVIDER_ENV: Readonly<Record<CliProviderName, readonly string[]>> = {
  signzy: ['GSTR_PROVIDER_USERNAME', 'GSTR_PROVIDER_PASSWORD'],
  gstn: ['GSTN_CLIENT_ID', 'GSTN_CLIENT_SECRET'],
  sandbox: ['SANDBOX_API_KEY', 'SANDBOX_API_SECRET'],
};

/** The flags that belong to one provider only. */
const OWN_FLAGS: Readonly<Record<string, CliProviderName>> = {
  'gstr-path': 'signzy',
  'expiry-unit': 'signzy',
  certificate: 'gstn',
};

/** What the login command was given that decides the provider. */
export interface CliProviderFlags {
  readonly provider?: string | undefined;
  readonly 'base-url'?: string | undefined;
  readonly 'gstr-path'?: string | undefined;
  readonly 'expiry-unit'?: string | undefined;
  readonly certificate?: string | undefined;
}

/** The provider the CLI runs, and where it is. */
export interface CliProvider {
  readonly provider: GstrProvider;
  /** The host its requests go to, as the CLI tells the person. */
  readonly host: string;
  /** The base URL, saved with the session. */
  readonly baseUrl: string;
}

/**
 * Makes the provider of `--provider` (Signzy by default) from its flags and its credentials in
 * the environment. A missing credential, a flag of another provider or an unreadable
 * certificate is a usage error, before any request.
 */
export async function cliProvider(
  flags: CliProviderFlags,
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs: number | undefined,
): Promise<CliProvider> {
  const name = (flags.provider ?? 'signzy') as CliProviderName;
  if (!CLI_PROVIDERS.includes(name)) {
    throw new UsageError(`--provider must be one of ${CLI_PROVIDERS.join(', ')}`);
  }
  for (const [flag, owner] of Object.entries(OWN_FLAGS)) {
    if (flags[flag as keyof CliProviderFlags] !== undefined && owner !== name) {
      throw new UsageError(`--${flag} is a ${owner} option, not one of --provider ${name}`);
    }
  }
  const [first, second] = CLI_PROVIDER_ENV[name].map((variable) => env[variable]);
  if (!first || !second) {
    throw new UsageError(
      `set ${CLI_PROVIDER_ENV[name].join(' and ')} (the ${name} API credentials)`,
    );
  }
  const common = timeoutMs === undefined ? {} : { timeoutMs };
  const make = (baseUrl: string, build: () => GstrProvider): CliProvider => ({
    provider: withFlagNames(build),
    host: URL.canParse(baseUrl) ? new URL(baseUrl).host : baseUrl,
    baseUrl,
  });
  if (name === 'gstn') {
    if (!flags.certificate)
      throw new UsageError(
        "--provider gstn needs --certificate FILE (GSTN's public certificate, PEM)",
      );
    let certificate: string;
    try {
      certificate = await readFile(flags.certificate, 'utf8');
    } catch (error) {
      throw new UsageError(
        `cannot read --certificate ${flags.certificate} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    const baseUrl = flags['base-url'] ?? GSTN_SANDBOX_BASE_URL;
    return make(
      baseUrl,
      () =>
        new GstnClient({
          baseUrl,
          clientId: first,
          clientSecret: second,
          certificate,
          ...(env.GSTN_IP_USER ? { ipUser: env.GSTN_IP_USER } : {}),
          ...common,
        }),
    );
  }
  if (name === 'sandbox') {
    const baseUrl = flags['base-url'] ?? SANDBOX_BASE_URL;
    return make(
      baseUrl,
      () => new SandboxClient({ apiKey: first, apiSecret: second, baseUrl, ...common }),
    );
  }
  const expiryUnit = flags['expiry-unit'] ?? 'minutes';
  if (!EXPIRY_UNITS.includes(expiryUnit as ExpiryUnit)) {
    throw new UsageError(`--expiry-unit must be one of ${EXPIRY_UNITS.join(', ')}`);
  }
  const baseUrl = flags['base-url'] ?? SIGNZY_TEST_BASE_URL;
  return make(
    baseUrl,
    () =>
      new SignzyClient({
        username: first,
        password: second,
        expiryUnit: expiryUnit as ExpiryUnit,
        baseUrl,
        ...(flags['gstr-path'] ? { gstrPath: flags['gstr-path'] } : {}),
        ...common,
      }),
  );
}
