import { parseInput } from '../schemas/parse.js';
import {
  GSTR1_SECTIONS,
  GSTR2A_SECTIONS,
  type Gstr1Section,
  type Gstr2aSection,
  type GstrRead,
} from './GstrRead.js';
import type { GstrReadOf } from './readData.js';
import {
  FileNumberSchema,
  FinancialYearSchema,
  RefIdSchema,
  RetPeriodSchema,
  sectionSchema,
} from './readSchema.js';

/**
 * The GSTR-3B summary of a return period.
 *
 * @example
 * ```ts
 * const result = await session.call(gstr3bSummary('042024'));
 * if (result.kind === 'data') console.log(result.data);
 * ```
 */
export function gstr3bSummary(retPeriod: string): GstrReadOf<'gstr3bSummary'> {
  return {
    kind: 'gstr3bSummary',
    retPeriod: parseInput(RetPeriodSchema, retPeriod, 'call', 'retPeriod'),
  };
}

/** One section of GSTR-1 (`B2B`, `CDNR`, `HSNSUM`...) for a return period. */
export function gstr1Section(
  section: Gstr1Section | Lowercase<Gstr1Section>,
  retPeriod: string,
): GstrReadOf<'gstr1Section'> {
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
): GstrReadOf<'gstr2aSection'> {
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
): GstrReadOf<'gstr2b'> {
  const fileNumber =
    options.fileNumber === undefined
      ? undefined
      : parseInput(FileNumberSchema, options.fileNumber, 'call', 'fileNumber');
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
export function filingPreference(financialYear: string): GstrReadOf<'filingPreference'> {
  return {
    kind: 'filingPreference',
    financialYear: parseInput(FinancialYearSchema, financialYear, 'call', 'financialYear'),
  };
}

/** The status of a filed return (by the reference id its filing answered). */
export function returnStatus(retPeriod: string, refId: string): GstrReadOf<'returnStatus'> {
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
