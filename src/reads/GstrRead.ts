/** The GSTR-1 sections a read can ask for (GSTN's `action` names). */
export const GSTR1_SECTIONS = [
  'B2B',
  'B2BA',
  'B2CL',
  'B2CLA',
  'B2CS',
  'B2CSA',
  'CDNR',
  'CDNRA',
  'CDNUR',
  'CDNURA',
  'EXP',
  'EXPA',
  'AT',
  'ATA',
  'TXP',
  'TXPA',
  'HSNSUM',
  'NIL',
  'DOCISS',
  'RETSUM',
] as const;

/** The GSTR-2A sections a read can ask for. */
export const GSTR2A_SECTIONS = [
  'B2B',
  'B2BA',
  'CDN',
  'CDNA',
  'ISD',
  'ISDA',
  'TDS',
  'TCS',
  'IMPG',
  'IMPGSEZ',
] as const;

/** A GSTR-1 section. */
export type Gstr1Section = (typeof GSTR1_SECTIONS)[number];
/** A GSTR-2A section. */
export type Gstr2aSection = (typeof GSTR2A_SECTIONS)[number];

/**
 * A read of GSTR data, provider-neutral: what to read, already checked. Made by the request
 * builders (`gstr3bSummary('042024')`...), each provider maps it to its own call.
 */
export type GstrRead =
  | { readonly kind: 'gstr3bSummary'; readonly retPeriod: string }
  | { readonly kind: 'gstr1Section'; readonly section: Gstr1Section; readonly retPeriod: string }
  | { readonly kind: 'gstr2aSection'; readonly section: Gstr2aSection; readonly retPeriod: string }
  | { readonly kind: 'gstr2b'; readonly retPeriod: string; readonly fileNumber?: number }
  | { readonly kind: 'filingPreference'; readonly financialYear: string }
  | { readonly kind: 'returnStatus'; readonly retPeriod: string; readonly refId: string };

/** The kinds of read, every value. */
export const READ_KINDS = [
  'gstr3bSummary',
  'gstr1Section',
  'gstr2aSection',
  'gstr2b',
  'filingPreference',
  'returnStatus',
] as const satisfies readonly GstrRead['kind'][];

/** A kind of read. */
export type ReadKind = GstrRead['kind'];

/**
 * What a read found. `noData` is a result, never an error and never an empty list that would
 * read as "no invoices"; `queued` means GSTN is preparing the answer (ask again later).
 */
export type ReadOutcome<T = unknown> =
  | { readonly kind: 'data'; readonly data: T }
  | { readonly kind: 'noData'; readonly code: string; readonly message: string }
  | {
      readonly kind: 'queued';
      readonly code: string;
      readonly message: string;
      /** When to ask again, where the answer says (ms); otherwise the app's choice. */
      readonly retryAfterMs: number | undefined;
    };
