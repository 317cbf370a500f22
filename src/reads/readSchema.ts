import * as v from 'valibot';
import { GSTR1_SECTIONS, GSTR2A_SECTIONS, type GstrRead } from './GstrRead.js';

const Period = v.pipe(v.string(), v.regex(/^(0[1-9]|1[0-2])[0-9]{4}$/));

/**
 * A read as the builders make it: what `call()` and every provider's `read()` accept. A
 * hand-made object that is not one is refused before any request (the builders check the
 * values themselves; this checks the shape).
 */
export const GstrReadSchema = v.custom<GstrRead>(
  (value) =>
    v.is(
      v.variant('kind', [
        v.strictObject({ kind: v.literal('gstr3bSummary'), retPeriod: Period }),
        v.strictObject({
          kind: v.literal('gstr1Section'),
          section: v.picklist(GSTR1_SECTIONS),
          retPeriod: Period,
        }),
        v.strictObject({
          kind: v.literal('gstr2aSection'),
          section: v.picklist(GSTR2A_SECTIONS),
          retPeriod: Period,
        }),
        v.strictObject({
          kind: v.literal('gstr2b'),
          retPeriod: Period,
          fileNumber: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
        }),
        v.strictObject({
          kind: v.literal('filingPreference'),
          financialYear: v.pipe(v.string(), v.regex(/^[0-9]{4}-[0-9]{2}$/)),
        }),
        v.strictObject({
          kind: v.literal('returnStatus'),
          retPeriod: Period,
          refId: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/)),
        }),
      ]),
      value,
    ),
  'must be a read made by a request builder (gstr3bSummary, gstr1Section, ...)',
);
