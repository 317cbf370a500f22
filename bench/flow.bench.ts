import ky from 'ky';
import { SignzyClient } from '../src/providers/signzy/SignzyClient.js';
import { createGstrSession } from '../src/session/createGstrSession.js';
import { createMockProvider } from '../src/testing/mock/createMockProvider.js';
import { MOCK_DEFAULT_ACCOUNT } from '../src/testing/mock/types.js';
import { BENCH_GSTIN, interleavedMedians } from './fixtures.js';

/** The fields of the provider's answers that the flow reads. */
interface Answer {
  readonly id: string;
  readonly userId: string;
  readonly result: { readonly appKey: string; readonly authToken: string };
}

type Post = (path: string, body: unknown, authorization?: string) => Promise<Answer>;

/** The three requests of the flow, posted by `post`. */
async function threeRequests(post: Post): Promise<string> {
  const login = await post('api/v2/patrons/login', {
    username: MOCK_DEFAULT_ACCOUNT.username,
    password: MOCK_DEFAULT_ACCOUNT.password,
  });
  const gstrs = `api/v2/patrons/${login.userId}/gstrs`;
  const otp = await post(
    gstrs,
    { task: 'getOtp', essentials: { gstin: BENCH_GSTIN, username: 'bench-user' } },
    login.id,
  );
  const token = await post(
    gstrs,
    {
      task: 'getAuthToken',
      essentials: {
        gstin: BENCH_GSTIN,
        username: 'bench-user',
        otp: '575757',
        appKey: otp.result.appKey,
      },
    },
    login.id,
  );
  return token.result.authToken;
}

/** Medians in ms of one flow, four ways: by hand with fetch, with ky, with the client, with a session. */
export interface FlowFigures {
  readonly latencyMs: number;
  readonly byHandMs: number;
  readonly kyMs: number;
  readonly clientMs: number;
  readonly sessionMs: number;
  /** sessionMs / byHandMs: the figure with a target. */
  readonly ratio: number;
}

/**
 * The full flow (login, OTP request, token exchange) against the mock provider, through
 * `createGstrSession`, against the same three requests written by hand with `fetch`; with ky
 * alone and the provider client alone in between, to show where time goes. `latencyMs` adds
 * that much server delay per request (a provider is not on loopback).
 */
export async function flowBench(rounds: number, latencyMs = 0): Promise<FlowFigures> {
  const mock = await createMockProvider({ otpMode: 'sandbox' });
  if (latencyMs > 0) mock.setFault('*', { kind: 'delay', ms: latencyMs });
  const provider = new SignzyClient({ ...MOCK_DEFAULT_ACCOUNT, baseUrl: mock.url });
  const http = ky.create({ prefixUrl: mock.url, timeout: 15_000 });
  const ways: Record<'byHand' | 'ky' | 'client' | 'session', () => Promise<unknown>> = {
    byHand: () =>
      threeRequests(async (path, body, authorization) => {
        const response = await fetch(`${mock.url}/${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(authorization ? { authorization } : {}),
          },
          body: JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json() as Promise<Answer>;
      }),
    ky: () =>
      threeRequests((path, json, authorization) =>
        http.post(path, { json, headers: authorization ? { authorization } : {} }).json(),
      ),
    client: async () => {
      const access = await provider.login();
      const challenge = await provider.requestOtp(
        { gstin: BENCH_GSTIN, username: 'bench-user' },
        { access },
      );
      return provider.getAuthToken(
        { gstin: BENCH_GSTIN, username: 'bench-user', otp: '575757', challenge },
        { access },
      );
    },
    session: async () => {
      const session = createGstrSession({ provider, gstin: BENCH_GSTIN, username: 'bench-user' });
      session.start();
      const credentials = await session.submitOtp('575757');
      session.stop();
      return credentials;
    },
  };
  try {
    const m = await interleavedMedians(ways, rounds, latencyMs > 0 ? 3 : 30);
    return {
      latencyMs,
      byHandMs: m.byHand,
      kyMs: m.ky,
      clientMs: m.client,
      sessionMs: m.session,
      ratio: m.session / m.byHand,
    };
  } finally {
    await mock.close();
  }
}
