import { randomBytes } from 'node:crypto';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createClient } from 'redis';
import { startConsole } from '../src/console/startConsole.js';
import { createSessionManager } from '../src/manager/createSessionManager.js';
import { instrumentGstrSession } from '../src/otel/instrumentGstrSession.js';
import { SignzyClient } from '../src/providers/signzy/SignzyClient.js';
import { redisStore } from '../src/redis/redisStore.js';
import { createGstrSession } from '../src/session/createGstrSession.js';
import { createMockProvider } from '../src/testing/mock/createMockProvider.js';
import { MOCK_DEFAULT_ACCOUNT } from '../src/testing/mock/types.js';
import { startRedis } from '../test/fleet/redisServer.js';
import {
  BENCH_GSTIN,
  idleProvider,
  interleavedMedians,
  median,
  seedAuthenticated,
} from './fixtures.js';

const CONSOLE_TOKEN = 'a-bench-console-token-0123456789abcdef';

/** A metric reader that only collects when asked (the bench never asks). */
class QuietReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** Medians in ms of one flow on loopback three ways, and the two ratios to nobody listening. */
export interface OtelCostFigures {
  readonly nobodyMs: number;
  readonly apiOnlyMs: number;
  readonly sdkMs: number;
  readonly apiOnlyRatio: number;
  readonly sdkRatio: number;
}

/**
 * The cost of the trace points: the whole flow (login, OTP, exchange) through a session on
 * the loopback mock, interleaved three ways in one run: nobody listening (the otel entry not
 * loaded), `gstr-session/otel` instrumenting with the API's no-op providers (subscribed, but
 * nothing recorded), and with the SDK (every span kept in memory, every metric aggregated).
 */
export async function otelCostBench(rounds: number): Promise<OtelCostFigures> {
  const mock = await createMockProvider({ otpMode: 'sandbox' });
  const provider = new SignzyClient({ ...MOCK_DEFAULT_ACCOUNT, baseUrl: mock.url });
  const flow = async () => {
    const session = createGstrSession({ provider, gstin: BENCH_GSTIN, username: 'bench-user' });
    session.start();
    await session.submitOtp('575757');
    session.stop();
  };
  const exporter = new InMemorySpanExporter();
  const sdk = {
    tracerProvider: new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    }),
    meterProvider: new MeterProvider({ readers: [new QuietReader()] }),
  };
  const ways: Record<'nobody' | 'apiOnly' | 'sdk', () => Promise<void>> = {
    nobody: flow,
    apiOnly: async () => {
      const otel = instrumentGstrSession();
      try {
        await flow();
      } finally {
        otel.stop();
      }
    },
    sdk: async () => {
      const otel = instrumentGstrSession(sdk);
      try {
        await flow();
      } finally {
        otel.stop();
        exporter.reset();
      }
    },
  };
  try {
    const m = await interleavedMedians(ways, rounds, 30);
    return {
      nobodyMs: m.nobody,
      apiOnlyMs: m.apiOnly,
      sdkMs: m.sdk,
      apiOnlyRatio: m.apiOnly / m.nobody,
      sdkRatio: m.sdk / m.nobody,
    };
  } finally {
    await mock.close();
  }
}

/** What a page of `manager.sessions()` costs over a big Redis store. */
export interface SessionsQueryFigures {
  readonly stored: number;
  /** The first page of 100, no filter. */
  readonly pageMs: number;
  /** A page of a filter that matches nothing: it looks at 1 000 records, then hands a cursor. */
  readonly filteredPageMs: number;
  /** Baseline: the same 100 records read with `store.load`, in parallel, in the same run. */
  readonly rawReadMs: number;
  readonly ratio: number;
  /** The console's page of 100 (`GET /api/sessions` over HTTP, with the token), and its figures. */
  readonly consolePageMs: number;
  readonly consoleFiguresMs: number;
}

/**
 * `manager.sessions({ limit: 100 })` of a fresh manager over `stored` records in Redis (its own
 * redis-server): what an operator console's page costs, against reading those 100 records
 * with the store alone.
 */
export async function sessionsQueryBench(
  stored: number,
  rounds = 20,
): Promise<SessionsQueryFigures> {
  const redis = await startRedis();
  const client = createClient({ url: redis.url });
  client.on('error', () => {});
  await client.connect();
  const sealKey = randomBytes(32).toString('base64');
  const now = Date.now();
  try {
    const store = redisStore({ client, sealKey, prefix: 'query' });
    await seedAuthenticated(store, stored, now);
    const manager = createSessionManager({
      provider: idleProvider,
      store: redisStore({ client, sealKey, prefix: 'query' }),
    });
    const operator = await startConsole({ manager, token: CONSOLE_TOKEN });
    const get = async (path: string) => {
      const response = await fetch(new URL(path, operator.url), {
        headers: { authorization: `Bearer ${CONSOLE_TOKEN}` },
      });
      await response.arrayBuffer();
    };
    const pages: number[] = [];
    const filtered: number[] = [];
    const raw: number[] = [];
    const consolePages: number[] = [];
    const consoleFigures: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let start = performance.now();
      const page = await manager.sessions({ limit: 100 });
      pages.push(performance.now() - start);
      start = performance.now();
      await manager.sessions({ state: 'failed', limit: 100 });
      filtered.push(performance.now() - start);
      start = performance.now();
      await Promise.all(
        page.sessions.map((s) => store.load({ gstin: s.gstin, username: s.username })),
      );
      raw.push(performance.now() - start);
      start = performance.now();
      await get('/api/sessions?limit=100');
      consolePages.push(performance.now() - start);
      start = performance.now();
      await get('/api/figures');
      consoleFigures.push(performance.now() - start);
    }
    await operator.close();
    await manager.close();
    return {
      stored,
      pageMs: median(pages),
      filteredPageMs: median(filtered),
      rawReadMs: median(raw),
      ratio: median(pages) / median(raw),
      consolePageMs: median(consolePages),
      consoleFiguresMs: median(consoleFigures),
    };
  } finally {
    await client.close().catch(() => {});
    await redis.stop();
  }
}
