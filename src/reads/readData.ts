import type { GstrRead, ReadKind } from './GstrRead.js';
import type { NicReadKind, SessionRead } from './NicRead.js';

/*
 * What a read answers, on every provider: GSTN's own JSON for that return, each provider's
 * envelope stripped in its `read()`. The fields below are those of GSTN's published schemas
 * that an app reads first; every other field GSTN sends is there too (the index signatures),
 * with GSTN's names.
 */

/** A line of tax amounts, as GSTN writes them in every return. */
export interface GstnTaxAmounts {
  /** Taxable value. */
  readonly txval?: number;
  /** Integrated, central, state tax and cess. */
  readonly iamt?: number;
  readonly camt?: number;
  readonly samt?: number;
  readonly csamt?: number;
  readonly [field: string]: unknown;
}

/** An invoice of a B2B section (GSTR-1, GSTR-2A, GSTR-2B). */
export interface GstnInvoice {
  /** Invoice number and date (`dd-mm-yyyy`). */
  readonly inum?: string;
  readonly idt?: string;
  /** Invoice value. */
  readonly val?: number;
  /** Its items: a number and the tax amounts. */
  readonly itms?: readonly (GstnTaxAmounts & { readonly num?: number })[];
  readonly [field: string]: unknown;
}

/** The invoices of one counterparty (`ctin`). */
export interface GstnPartyInvoices {
  readonly ctin?: string;
  readonly inv?: readonly GstnInvoice[];
  readonly [field: string]: unknown;
}

/** Common to every return answer: the taxpayer and the period. */
export interface GstnReturnData {
  readonly gstin?: string;
  /** `MMYYYY`. */
  readonly ret_period?: string;
  readonly [field: string]: unknown;
}

/** The GSTR-3B summary (`RETSUM`): outward supplies in `sup_details`, ITC in `itc_elg`... */
export interface Gstr3bSummaryData extends GstnReturnData {
  readonly sup_details?: {
    /** Outward taxable supplies (other than zero rated, nil rated and exempted). */
    readonly osup_det?: GstnTaxAmounts;
    readonly [field: string]: unknown;
  };
}

/** A GSTR-1 or GSTR-2A section: its entries under the section's lower-case name (`b2b`...). */
export interface GstrSectionData extends GstnReturnData {
  readonly b2b?: readonly GstnPartyInvoices[];
}

/** GSTR-2B (`GET2B`); a large statement arrives as `parts`, one answer per file. */
export interface Gstr2bData extends GstnReturnData {
  readonly b2b?: readonly GstnPartyInvoices[];
  readonly parts?: readonly Gstr2bData[];
}

/** The filing preference (`GETPREF`): monthly (`M`) or quarterly (`Q`) per quarter. */
export interface FilingPreferenceData extends GstnReturnData {
  readonly response?: readonly {
    readonly quarter?: string;
    readonly preference?: string;
    readonly [field: string]: unknown;
  }[];
}

/** The status of a filed return (`RETSTATUS`). */
export interface ReturnStatusData extends GstnReturnData {
  /** `P` processed, `PE` processed with error, `ER` error, `IP` in progress. */
  readonly status_cd?: string;
  readonly form_typ?: string;
}

/** The data of each kind of read. */
export interface ReadDataByKind {
  readonly gstr3bSummary: Gstr3bSummaryData;
  readonly gstr1Section: GstrSectionData;
  readonly gstr2aSection: GstrSectionData;
  readonly gstr2b: Gstr2bData;
  readonly filingPreference: FilingPreferenceData;
  readonly returnStatus: ReturnStatusData;
  readonly irnDetails: IrnDetailsData;
  readonly ewayBill: EwayBillData;
}

/** An e-invoice's details (NIC's get IRN details), decrypted, with NIC's names. */
export interface IrnDetailsData {
  readonly Irn?: string;
  readonly AckNo?: number | string;
  readonly AckDt?: string;
  /** `ACT` active, `CNL` cancelled. */
  readonly Status?: string;
  readonly SignedInvoice?: string;
  readonly SignedQRCode?: string;
  readonly EwbNo?: number | string | null;
  readonly [field: string]: unknown;
}

/** An e-way bill (NIC's get e-way bill), decrypted, with NIC's names. */
export interface EwayBillData {
  readonly ewbNo?: number | string;
  readonly ewayBillDate?: string;
  /** `ACT` active, `CNL` cancelled. */
  readonly status?: string;
  readonly validUpto?: string;
  readonly [field: string]: unknown;
}

/**
 * The data a read answers, by its kind: `session.call(gstr3bSummary('042024'))` is a
 * `ReadOutcome<Gstr3bSummaryData>`.
 */
export type ReadDataOf<R extends SessionRead> = R['kind'] extends ReadKind | NicReadKind
  ? ReadDataByKind[R['kind']]
  : never;

/** A read of one kind, as its builder makes it. */
export type GstrReadOf<K extends ReadKind> = Extract<GstrRead, { readonly kind: K }>;
