import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  filingPreference,
  gstr1Section,
  gstr2aSection,
  gstr2b,
  gstr3bSummary,
  returnStatus,
} from '../../src/reads/builders.js';
import type { GstrRead } from '../../src/reads/GstrRead.js';
import type { GstrSession } from '../../src/session/types.js';
import { MOCK_FACES, type MockFaceName } from '../../src/testing/mock/types.js';
import { createTestRig, type TestRig } from '../../src/testing/rig/createTestRig.js';

/** Every provider of the registry: a new one joins these tests by itself. */
const FACES = MOCK_FACES;

/** Every builder, with what GSTN's JSON for it must hold. */
const READS: readonly [string, GstrRead, (data: Record<string, unknown>) => void][] = [
  [
    'gstr3bSummary',
    gstr3bSummary('042024'),
    (data) => expect(data).toMatchObject({ sup_details: { osup_det: { txval: 100000 } } }),
  ],
  [
    'gstr1Section B2B',
    gstr1Section('B2B', '042024'),
    (data) => expect(data.b2b).toBeInstanceOf(Array),
  ],
  [
    'gstr1Section CDNR',
    gstr1Section('cdnr', '042024'),
    (data) => expect(data.cdnr).toBeInstanceOf(Array),
  ],
  [
    'gstr2aSection CDN',
    gstr2aSection('CDN', '042024'),
    (data) => expect(data.cdn).toBeInstanceOf(Array),
  ],
  ['gstr2b', gstr2b('042024'), (data) => expect(data.b2b).toBeInstanceOf(Array)],
  [
    'filingPreference',
    filingPreference('2024-25'),
    (data) => expect(data.response).toEqual([{ quarter: 'Q1', preference: 'M' }]),
  ],
  [
    'returnStatus',
    returnStatus('042024', 'AA2704240012345'),
    (data) => expect(data).toMatchObject({ status_cd: 'P', form_typ: 'GSTR3B' }),
  ],
];

/** What a provider's envelope holds; never in a read's data. */
const ENVELOPE_FIELDS = ['message', 'task', 'essentials', 'code', 'transaction_id', 'result'];

const rigs: TestRig[] = [];
const sessions = new Map<MockFaceName, GstrSession>();

beforeAll(async () => {
  for (const face of FACES) {
    const rig = await createTestRig({ provider: face, mock: { otpMode: 'sandbox' } });
    rigs.push(rig);
    const session = rig.session();
    session.start();
    await session.submitOtp('575757');
    sessions.set(face, session);
  }
}, 60_000);

afterAll(async () => {
  await Promise.all(rigs.map((rig) => rig.close()));
});

describe('reads are provider-neutral', () => {
  it.each(READS)('answer %s with the same GSTN JSON on every provider', async (_, read, holds) => {
    // Act
    const answers = await Promise.all(
      FACES.map((face) => (sessions.get(face) as GstrSession).call(read)),
    );

    // Assert
    const [first, ...others] = answers.map((outcome) =>
      outcome.kind === 'data' ? (outcome.data as Record<string, unknown>) : outcome,
    );
    for (const other of others) expect(other).toEqual(first);
    const data = first as Record<string, unknown>;
    holds(data);
    for (const field of ENVELOPE_FIELDS) expect(data).not.toHaveProperty(field);
  });
});
