import * as v from 'valibot';
import { parseInput } from '../schemas/parse.js';
import {
  GSTR1_SECTIONS,
  GSTR2A_SECTIONS,
  type Gstr1Section,
  type Gstr2aSection,
  type GstrRead,
} from './GstrRead.js';

/** GST began in July 2017: no return period or financial year before it exists. */
const FIRST_YEAR = 2017;

/** The last year a read may name: next year, so that a clock a little ahead is no problem. */
function lastYear(): number {
  return new Date().getUTCFullYear() + 1;
}

/** A return period `MMYYYY`: a month of a year from July 2017 on. */
const RetPeriodSchema = v.pipe(
  v.string('must be a string'),
  v.regex(/^(0[1-9]|1[0-2])[0-9]{4}$/, 'must be MMYYYY (e.g. 042024)'),
  v.check((period) => {
    const month = Number(period.slice(0, 2));
    const year = Number(period.slice(2));
    return (year > FIRST_YEAR || (year === FIRST_YEAR && month >= 7)) && year <= lastYear();
  }, `must be a month from 072017 to the end of next year`),
);

/** A financial year `YYYY-YY` (e.g. `2024-25`), from 2017-18 on. */
const FinancialYearSchema = v.pipe(
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
const RefIdSchema = v.pipe(
  v.string('must be a string'),
  v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, - or _'),
);

/** Upper-cases a section name, then checks it against the list. */
function sectionSchema<T extends string>(sections: readonly T[]) {
  return v.pipe(
    v.string('must be a string'),
    v.transform((section) => section.trim().toUpperCase()),
    v.picklist(sections, `must be one of ${sections.join(', ')}`),
  );
}

/**
 * The GSTR-3B summary of a return period.
 *
 * @example
 * ```ts
 * const result = await session.call(gstr3bSummary('042024'));
 * if (result.kind === 'data') console.log(result.data);
 * ```
 */
export function gstr3bSummary(retPeriod: string): GstrRead {
  return {
    kind: 'gstr3bSummary',
    retPeriod: parseInput(RetPeriodSchema, retPeriod, 'call', 'retPeriod'),
  };
}

/** One section of GSTR-1 (`B2B`, `CDNR`, `HSNSUM`...) for a return period. */
export function gstr1Section(
  section: Gstr1Section | Lowercase<Gstr1Section>,
  retPeriod: string,
): GstrRead {
  return {
    kind: 'gstr1Section',
    section: parseInput(sectionSchema(GSTR1_SECTIONS), section, 'call', 'section'),
    retPeriod: parseInput(RetPeriodSchema, retPeriod, 'call', 'retPeriod'),
  };
}

/** One section of GSTR-2A (`B2B`, `CDN`, `ISD`...) for a return period: inward supplies. */
export function gstr2aSection(
  section: Gstr2aSection | Lowercase<Gstr2aSection>,
  retPeriod: string,
): GstrRead {
  return {
    kind: 'gstr2aSection',
    section: parseInput(sectionSchema(GSTR2A_SECTIONS), section, 'call', 'section'),
    retPeriod: parseInput(RetPeriodSchema, retPeriod, 'call', 'retPeriod'),
  };
}

/** GSTR-2B of a return period; `fileNumber` for one part of a large statement. */
export function gstr2b(
  retPeriod: string,
  options: { readonly fileNumber?: number } = {},
): GstrRead {
  const fileNumber =
    options.fileNumber === undefined
      ? undefined
      : parseInput(
          v.pipe(
            v.number(),
            v.integer('must be a whole number'),
            v.minValue(1, 'must be at least 1'),
            v.maxValue(1000, 'must be at most 1000'),
          ),
          options.fileNumber,
          'call',
          'fileNumber',
        );
  return {
    kind: 'gstr2b',
    retPeriod: parseInput(RetPeriodSchema, retPeriod, 'call', 'retPeriod'),
    ...(fileNumber === undefined ? {} : { fileNumber }),
  };
}

/**
 * The taxpayer's filing preference for a financial year (monthly or quarterly): the cheapest
 * read, also the probe that tells whether a restored session is alive.
 */
export function filingPreference(financialYear: string): GstrRead {
  return {
    kind: 'filingPreference',
    financialYear: parseInput(FinancialYearSchema, financialYear, 'call', 'financialYear'),
  };
}

/** The status of a filed return (by the reference id its filing answered). */
export function returnStatus(retPeriod: string, refId: string): GstrRead {
  return {
    kind: 'returnStatus',
    retPeriod: parseInput(RetPeriodSchema, retPeriod, 'call', 'retPeriod'),
    refId: parseInput(RefIdSchema, refId, 'call', 'refId'),
  };
}

/** The financial year (`YYYY-YY`) a moment falls in (April to March). */
export function financialYearOf(epochMs: number): string {
  const date = new Date(epochMs);
  const start = date.getUTCMonth() >= 3 ? date.getUTCFullYear() : date.getUTCFullYear() - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/** A read as GSTN names it: the return path, the `action`, and its query. */
export interface GstnReadTarget {
  /** The return, as in `/taxpayerapi/{version}/returns/{returnPath}` (`''` for `returns`). */
  readonly returnPath: 'gstr1' | 'gstr2a' | 'gstr2b' | 'gstr3b' | '';
  readonly action: string;
  /** The return period, for the `ret_period` header and query (absent for filing preference). */
  readonly retPeriod: string | undefined;
  /** The query besides `action` and `gstin`. */
  readonly query: Readonly<Record<string, string>>;
}

/**
 * What a read is in GSTN's own terms (the return path, its `action`, the query). GSTN direct
 * calls exactly this; other providers map from it where their API follows GSTN's.
 */
export function gstnTargetOf(read: GstrRead): GstnReadTarget {
  switch (read.kind) {
    case 'gstr3bSummary':
      return {
        returnPath: 'gstr3b',
        action: 'RETSUM',
        retPeriod: read.retPeriod,
        query: { ret_period: read.retPeriod },
      };
    case 'gstr1Section':
      return {
        returnPath: 'gstr1',
        action: read.section,
        retPeriod: read.retPeriod,
        query: { ret_period: read.retPeriod },
      };
    case 'gstr2aSection':
      return {
        returnPath: 'gstr2a',
        action: read.section,
        retPeriod: read.retPeriod,
        query: { ret_period: read.retPeriod },
      };
    case 'gstr2b':
      return {
        returnPath: 'gstr2b',
        action: 'GET2B',
        retPeriod: read.retPeriod,
        query: {
          rtnprd: read.retPeriod,
          ...(read.fileNumber === undefined ? {} : { file_num: String(read.fileNumber) }),
        },
      };
    case 'filingPreference':
      return {
        returnPath: '',
        action: 'GETPREF',
        retPeriod: undefined,
        query: { fy: read.financialYear },
      };
    case 'returnStatus':
      return {
        returnPath: '',
        action: 'RETSTATUS',
        retPeriod: read.retPeriod,
        query: { ret_period: read.retPeriod, ref_id: read.refId },
      };
  }
}
