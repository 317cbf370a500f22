import { readFile } from 'node:fs/promises';
import type { GstrProvider } from '../providers/GstrProvider.js';
import { GstnClient } from '../providers/gstn/GstnClient.js';
import { SANDBOX_BASE_URL } from '../providers/sandbox/options.js';
import { SandboxClient } from '../providers/sandbox/SandboxClient.js';
import { EXPIRY_UNITS, type ExpiryUnit } from '../providers/signzy/expiry.js';
import { SIGNZY_TEST_BASE_URL } from '../providers/signzy/options.js';
import { SignzyClient } from '../providers/signzy/SignzyClient.js';

/** GSTN's public sandbox host (the default of `--provider gstn`). */
export const GSTN_SANDBOX_BASE_URL = 'http://devapi.gstsystem.co.in';

/** What a command line gave for a provider: its base URL, its own flags, the environment. */
export interface CommandLineProvider {
  readonly baseUrl: string;
  /** The provider's own flags, by name without `--` (only those it declares). */
  readonly flags: Readonly<Record<string, string | undefined>>;
  /** Its two credentials, read from the environment variables it names. */
  readonly credentials: readonly [string, string];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs: number | undefined;
}

/** One flag of a provider's own, for the command line and its usage text. */
export interface ProviderFlag {
  readonly name: string;
  /** The option of the provider it fills, named in errors as the flag. */
  readonly option: string;
  readonly value: string;
  readonly help: string;
}

/** A provider the library ships: everything the CLI, its usage, the demo and the kit read. */
export interface RegisteredProvider {
  /** The name the command line, the mock and the demo use. */
  readonly name: string;
  /** What it is, in a few words, for people. */
  readonly title: string;
  /** The two environment variables its credentials come from (never the command line). */
  readonly env: readonly [string, string];
  /** Optional environment variables it reads, for its usage line. */
  readonly optionalEnv: readonly string[];
  /** The host a command line talks to unless `--base-url` says otherwise. */
  readonly defaultBaseUrl: string;
  /** Its own flags, refused with any other provider. */
  readonly flags: readonly ProviderFlag[];
  /**
   * Makes the client from a command line; a flag it cannot use is a problem said in words
   * (`fail`), before any request.
   */
  fromCommandLine(
    given: CommandLineProvider,
    fail: (problem: string) => never,
  ): Promise<GstrProvider>;
}

/**
 * The providers, in the order the command line lists them (the first is the default). A new
 * provider is a folder under `src/providers/` and one entry here (and a face of the mock in
 * `src/testing/mock/faces.ts`, which the type system asks for).
 */
export const PROVIDERS = [
  {
    name: 'signzy',
    title: 'Signzy',
    env: ['GSTR_PROVIDER_USERNAME', 'GSTR_PROVIDER_PASSWORD'],
    optionalEnv: [],
    defaultBaseUrl: SIGNZY_TEST_BASE_URL,
    flags: [
      {
        name: 'gstr-path',
        option: 'gstrPath',
        value: 'PATH',
        help: 'the path of the GSTR tasks (default /api/v2/patrons/{patronId}/gstrs)',
      },
      {
        name: 'expiry-unit',
        option: 'expiryUnit',
        value: 'UNIT',
        help: `how its expiry reads: ${EXPIRY_UNITS.join(', ')} (default minutes)`,
      },
    ],
    async fromCommandLine({ baseUrl, flags, credentials, timeoutMs }, fail) {
      const expiryUnit = flags['expiry-unit'] ?? 'minutes';
      if (!EXPIRY_UNITS.includes(expiryUnit as ExpiryUnit)) {
        fail(`--expiry-unit must be one of ${EXPIRY_UNITS.join(', ')}`);
      }
      return new SignzyClient({
        username: credentials[0],
        password: credentials[1],
        expiryUnit: expiryUnit as ExpiryUnit,
        baseUrl,
        ...(flags['gstr-path'] ? { gstrPath: flags['gstr-path'] } : {}),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
    },
  },
  {
    name: 'gstn',
    title: 'GSTN direct through a GSP',
    env: ['GSTN_CLIENT_ID', 'GSTN_CLIENT_SECRET'],
    optionalEnv: ['GSTN_IP_USER'],
    defaultBaseUrl: GSTN_SANDBOX_BASE_URL,
    flags: [
      {
        name: 'certificate',
        option: 'certificate',
        value: 'FILE',
        help: "GSTN's public certificate (PEM file)",
      },
    ],
    async fromCommandLine({ baseUrl, flags, credentials, env, timeoutMs }, fail) {
      const file = flags.certificate;
      if (!file)
        return fail("--provider gstn needs --certificate FILE (GSTN's public certificate, PEM)");
      let certificate: string;
      try {
        certificate = await readFile(file, 'utf8');
      } catch (error) {
        return fail(
          `cannot read --certificate ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        );
      }
      return new GstnClient({
        baseUrl,
        clientId: credentials[0],
        clientSecret: credentials[1],
        certificate,
        ...(env.GSTN_IP_USER ? { ipUser: env.GSTN_IP_USER } : {}),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
    },
  },
  {
    name: 'sandbox',
    title: 'Sandbox.co.in',
    env: ['SANDBOX_API_KEY', 'SANDBOX_API_SECRET'],
    optionalEnv: [],
    defaultBaseUrl: SANDBOX_BASE_URL,
    flags: [],
    async fromCommandLine({ baseUrl, credentials, timeoutMs }) {
      return new SandboxClient({
        apiKey: credentials[0],
        apiSecret: credentials[1],
        baseUrl,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
    },
  },
] as const satisfies readonly RegisteredProvider[];

/** The name of a provider the library ships. */
export type ProviderName = (typeof PROVIDERS)[number]['name'];

/** Every provider name, in the registry's order (the first is the default). */
export const PROVIDER_NAMES: readonly ProviderName[] = PROVIDERS.map((p) => p.name);

/** The registry entry of a name, or `undefined` for a name it does not know. */
export function registeredProvider(name: string): RegisteredProvider | undefined {
  return PROVIDERS.find((p) => p.name === name);
}
