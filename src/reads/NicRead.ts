import type { GstrRead } from './GstrRead.js';

/**
 * A read of a NIC session (e-invoice, e-way bill), provider-neutral like {@link GstrRead}:
 * made by `irnDetails(irn)` and `ewayBill(ewbNo)`, each NIC provider maps it to its call.
 */
export type NicRead =
  | { readonly kind: 'irnDetails'; readonly irn: string }
  | { readonly kind: 'ewayBill'; readonly ewbNo: string };

/** The kinds of NIC read, every value. */
export const NIC_READ_KINDS = [
  'irnDetails',
  'ewayBill',
] as const satisfies readonly NicRead['kind'][];

/** A kind of NIC read. */
export type NicReadKind = NicRead['kind'];

/** Any read a session takes: GSTR returns, or NIC's e-invoices and e-way bills. */
export type SessionRead = GstrRead | NicRead;

/** Whether a read is one of NIC's (else a GSTR read). */
export function isNicRead(read: SessionRead): read is NicRead {
  return (NIC_READ_KINDS as readonly string[]).includes(read.kind);
}
