import * as v from 'valibot';
import { GSTR1_SECTIONS, GSTR2A_SECTIONS, type GstrRead } from './GstrRead.js';
import type { NicRead, SessionRead } from './NicRead.js';

/*
 * The one home of what a read may name: the builders check their arguments with these, and
 * `GstrReadSchema` checks a whole read (what `call()` and every provider's `read()` accept).
 */

/** GST began in July 2017: no return period or financial year before it exists. */
const FIRST_YEAR = 2017;

/** The last year a read may name: next year, so that a clock a little ahead is no problem. */
function lastYear(): number {
  return new Date().getUTCFullYear() + 1;
}

/** A return period `MMYYYY`: a month of a year from July 2017 on. */
export const RetPeriodSchema = v.pipe(
  v.string('must be a string'),
  v.regex(/^(0[1-9]|1[0-2])[0-9]{4}$/, 'must be MMYYYY (e.g. 042024)'),
  v.check((period) => {
    const month = Number(period.slice(0, 2));
    const year = Number(period.slice(2));
    return (year > FIRST_YEAR || (year === FIRST_YEAR && month >= 7)) && year <= lastYear();
  }, `must be a month from 072017 to the end of next year`),
);

/** A financial year `YYYY-YY` (e.g. `2024-25`), from 2017-18 on. */
export const FinancialYearSchema = v.pipe(
  v.string('must be a string'),
  v.regex(/^[0-9]{4}-[0-9]{2}$/, 'must be YYYY-YY (e.g. 2024-25)'),
  v.check((fy) => {
    const start = Number(fy.slice(0, 4));
    return Number(fy.slice(5)) === (start + 1) % 100;
  }, 'must name two consecutive years (e.g. 2024-25)'),
  v.check((fy) => {
    const start = Number(fy.slice(0, 4));
    return start >= FIRST_YEAR && start <= lastYear();
  }, 'must be from 2017-18 to next year'),
);

/** A reference id as GSTN issues them. */
export const RefIdSchema = v.pipe(
  v.string('must be a string'),
  v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _'),
);

/** Upper-cases a section name, then checks it against the list. */
export function sectionSchema<T extends string>(sections: readonly T[]) {
  return v.pipe(
    v.string('must be a string'),
    v.transform((section) => section.trim().toUpperCase()),
    v.picklist(sections, `must be one of ${sections.join(', ')}`),
  );
}

/** A part number of a large GSTR-2B. */
export const FileNumberSchema = v.pipe(
  v.number('must be a number'),
  v.integer('must be a whole number'),
  v.minValue(1, 'must be at least 1'),
  v.maxValue(1000, 'must be at most 1000'),
);

/**
 * A read as the builders make it. A hand-made object that is not one is refused before any
 * request.
 */
export const GstrReadSchema = v.custom<GstrRead>(
  (value) =>
    v.is(
      v.variant('kind', [
        v.strictObject({ kind: v.literal('gstr3bSummary'), retPeriod: RetPeriodSchema }),
        v.strictObject({
          kind: v.literal('gstr1Section'),
          section: v.picklist(GSTR1_SECTIONS),
          retPeriod: RetPeriodSchema,
        }),
        v.strictObject({
          kind: v.literal('gstr2aSection'),
          section: v.picklist(GSTR2A_SECTIONS),
          retPeriod: RetPeriodSchema,
        }),
        v.strictObject({
          kind: v.literal('gstr2b'),
          retPeriod: RetPeriodSchema,
          fileNumber: v.optional(FileNumberSchema),
        }),
        v.strictObject({ kind: v.literal('filingPreference'), financialYear: FinancialYearSchema }),
        v.strictObject({
          kind: v.literal('returnStatus'),
          retPeriod: RetPeriodSchema,
          refId: RefIdSchema,
        }),
      ]),
      value,
    ),
  'must be a read made by a request builder (gstr3bSummary, gstr1Section, ...)',
);

/** An IRN: the 64 hexadecimal characters of the invoice reference number's SHA-256. */
export const IrnSchema = v.pipe(
  v.string('must be a string'),
  v.regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters'),
  v.transform((irn) => irn.toLowerCase()),
);

/** An e-way bill number: 12 digits. */
export const EwbNoSchema = v.pipe(
  v.string('must be a string'),
  v.regex(/^[0-9]{12}$/, 'must be 12 digits'),
);

/** A NIC read as its builders make it; anything else is refused before any request. */
export const NicReadSchema = v.custom<NicRead>(
  (value) =>
    v.is(
      v.variant('kind', [
        v.strictObject({ kind: v.literal('irnDetails'), irn: IrnSchema }),
        v.strictObject({ kind: v.literal('ewayBill'), ewbNo: EwbNoSchema }),
      ]),
      value,
    ),
  'must be a read made by a NIC request builder (irnDetails, ewayBill)',
);

/** Any read a session takes (GSTR or NIC), as a builder made it. */
export const SessionReadSchema = v.custom<SessionRead>(
  (value) => v.is(GstrReadSchema, value) || v.is(NicReadSchema, value),
  'must be a read made by a request builder (gstr3bSummary, gstr1Section, ..., irnDetails, ewayBill)',
);
