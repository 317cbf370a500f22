import type { GstrProvider } from '../providers/GstrProvider.js';
import { PROVIDERS, registeredProvider } from '../registry/providers.js';
import { withFlagNamesAsync } from './flagErrors.js';
import { UsageError } from './UsageError.js';

/** The flags of every provider's own, as `parseArgs` options (the registry names them). */
export const PROVIDER_FLAG_OPTIONS: Readonly<Record<string, { readonly type: 'string' }>> =
  Object.fromEntries(
    PROVIDERS.flatMap((p) => p.flags.map((flag) => [flag.name, { type: 'string' } as const])),
  );

/** What the login command was given that decides the provider. */
export interface CliProviderFlags {
  readonly provider?: string | undefined;
  readonly 'base-url'?: string | undefined;
  readonly [flag: string]: string | boolean | undefined;
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
 * Makes the provider of `--provider` (the registry's first by default) from its flags and its
 * credentials in the environment. A missing credential, a flag of another provider or an
 * unreadable certificate is a usage error, before any request.
 */
export async function cliProvider(
  flags: CliProviderFlags,
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs: number | undefined,
): Promise<CliProvider> {
  const name = flags.provider ?? PROVIDERS[0].name;
  const chosen = registeredProvider(name);
  if (!chosen) {
    throw new UsageError(`--provider must be one of ${PROVIDERS.map((p) => p.name).join(', ')}`);
  }
  for (const other of PROVIDERS) {
    if (other.name === chosen.name) continue;
    for (const flag of other.flags) {
      if (flags[flag.name] !== undefined) {
        throw new UsageError(
          `--${flag.name} is a ${other.name} option, not one of --provider ${chosen.name}`,
        );
      }
    }
  }
  const [first, second] = chosen.env.map((variable) => env[variable]);
  if (!first || !second) {
    throw new UsageError(`set ${chosen.env.join(' and ')} (the ${chosen.name} API credentials)`);
  }
  const baseUrl = flags['base-url'] ?? chosen.defaultBaseUrl;
  const own = Object.fromEntries(
    chosen.flags.map((flag) => [flag.name, flags[flag.name] as string | undefined]),
  );
  const fail = (problem: string): never => {
    throw new UsageError(problem);
  };
  const made = await withFlagNamesAsync(() =>
    chosen.fromCommandLine(
      { baseUrl, flags: own, credentials: [first, second], env, timeoutMs },
      fail,
    ),
  );
  return {
    provider: made,
    host: URL.canParse(baseUrl) ? new URL(baseUrl).host : baseUrl,
    baseUrl,
  };
}
