import type { GstrProvider } from '../../providers/GstrProvider.js';
import { GstnClient } from '../../providers/gstn/GstnClient.js';
import { NicClient } from '../../providers/nic/NicClient.js';
import type { NicService } from '../../providers/nic/options.js';
import { SandboxClient } from '../../providers/sandbox/SandboxClient.js';
import { SignzyClient } from '../../providers/signzy/SignzyClient.js';
import type { MockFace } from './face.js';
import type { FakeGstn } from './fakeGstn.js';
import { createGstnFace, type GstnFace, MOCK_GSTN_CLIENT } from './gstnFace.js';
import { createNicFace, MOCK_NIC_ACCOUNT } from './nicFace.js';
import { createSandboxFace, MOCK_SANDBOX_ACCOUNT } from './sandboxFace.js';
import { createSignzyFace } from './signzyFace.js';
import {
  MOCK_DEFAULT_ACCOUNT,
  type MockFaceName,
  type MockProvider,
  type MockProviderOptions,
} from './types.js';

/** What a face is made from: the mock's options, resolved, and its clock. */
export interface FaceSettings {
  readonly options: Omit<MockProviderOptions, 'face'>;
  /** The token lifetime, in its unit, and that unit. */
  readonly lifetime: number;
  readonly unit: NonNullable<MockProviderOptions['tokenLifetimeUnit']>;
  readonly now: () => number;
}

/** One provider's side of the mock: its HTTP face, and its client pointed at that face. */
export interface FaceKit {
  face(settings: FaceSettings, gstn: FakeGstn): MockFace;
  /**
   * The provider's client against the mock, with the mock's test account: `common` holds the
   * base URL, the clock and the caller's options.
   */
  client(
    mock: MockProvider,
    mockOptions: Omit<MockProviderOptions, 'now' | 'face'> | undefined,
    common: Record<string, unknown> & { readonly baseUrl: string; readonly now: () => number },
  ): GstrProvider;
}

/** Whether a face is GSTN direct's (certificate, key rotation, large reads). */
export function isGstnFace(face: MockFace): face is GstnFace {
  return typeof (face as Partial<GstnFace>).rotateKeys === 'function';
}

/** The mock's token lifetime in ms, from its `tokenLifetime` in its unit. */
export function lifetimeMsOf(
  lifetime: number,
  unit: NonNullable<MockProviderOptions['tokenLifetimeUnit']>,
): number {
  return unit === 'minutes' ? lifetime * 60_000 : lifetime * 1000;
}

/** A NIC face (e-invoice or e-way bill) and its client, with the mock's NIC account. */
function nicKit(service: NicService): FaceKit {
  return {
    face: ({ options, lifetime, unit, now }) =>
      createNicFace({
        service,
        lifetimeMs: lifetimeMsOf(lifetime, unit),
        now,
        rek: options.einvoiceRek,
        loginVoidsToken: options.nicLoginVoidsToken,
      }),
    client: (mock, mockOptions, common) =>
      new NicClient(service, {
        clientId: MOCK_NIC_ACCOUNT.clientId,
        clientSecret: MOCK_NIC_ACCOUNT.clientSecret,
        publicKey: mock.publicKey(),
        password: () => MOCK_NIC_ACCOUNT.password,
        // E-way bill sends no expiry: the client is told the mock's lifetime, as an app
        // would set NIC's.
        ...(mockOptions?.tokenLifetime === undefined
          ? {}
          : {
              tokenLifetimeMs: lifetimeMsOf(
                mockOptions.tokenLifetime,
                mockOptions.tokenLifetimeUnit ?? 'minutes',
              ),
            }),
        ...common,
      }),
  };
}

/**
 * The mock's face of every provider of the registry, and NIC's two: a provider added there
 * without a face here is a type error.
 */
export const MOCK_FACE_KITS: Readonly<Record<MockFaceName, FaceKit>> = {
  einvoice: nicKit('einvoice'),
  ewaybill: nicKit('ewaybill'),
  signzy: {
    face: ({ options, lifetime, unit, now }, gstn) =>
      createSignzyFace(
        {
          accounts: options.accounts ?? [MOCK_DEFAULT_ACCOUNT],
          accessTtlSeconds: options.accessTokenTtlSeconds ?? 1_209_600,
          gstrPath: options.gstrPath,
          refreshTask: options.refreshTask,
          expiryUnit: unit,
          lifetime,
          now,
        },
        gstn,
      ),
    client: (_mock, mockOptions, common) =>
      new SignzyClient({
        ...MOCK_DEFAULT_ACCOUNT,
        ...(mockOptions?.refreshTask ? { refreshTask: mockOptions.refreshTask } : {}),
        ...(mockOptions?.tokenLifetimeUnit ? { expiryUnit: mockOptions.tokenLifetimeUnit } : {}),
        ...common,
      }),
  },
  gstn: {
    face: ({ options, lifetime, unit, now }, gstn) =>
      createGstnFace(
        {
          lifetimeMinutes: lifetimeMsOf(lifetime, unit) / 60_000,
          certificateValidity: {
            from: new Date(now() - 86_400_000),
            to: options.certificateValidTo ?? new Date(now() + 2 * 365 * 86_400_000),
          },
          refreshAppKey: options.gstnRefreshAppKey ?? 'sek',
        },
        gstn,
      ),
    client: (mock, mockOptions, common) =>
      new GstnClient({
        ...MOCK_GSTN_CLIENT,
        certificate: mock.certificate(),
        ...(mockOptions?.accessDurationMs === undefined
          ? {}
          : { accessDurationMs: mockOptions.accessDurationMs }),
        ...(mockOptions?.gstnRefreshAppKey ? { refreshAppKey: mockOptions.gstnRefreshAppKey } : {}),
        ...common,
      }),
  },
  sandbox: {
    face: ({ now }, gstn) => createSandboxFace({ accessTtlMs: 24 * 3_600_000, now }, gstn),
    client: (_mock, _mockOptions, common) =>
      new SandboxClient({ ...MOCK_SANDBOX_ACCOUNT, ...common }),
  },
};
