import { parseInput } from '../schemas/parse.js';
import type { NicRead } from './NicRead.js';
import { EwbNoSchema, IrnSchema } from './readSchema.js';

/**
 * An e-invoice's details by its IRN (NIC's "get IRN details"), on an e-invoice session.
 *
 * @example
 * ```ts
 * const outcome = await session.call(irnDetails(irn));
 * if (outcome.kind === 'data') console.log(outcome.data.AckNo);
 * ```
 */
export function irnDetails(irn: string): Extract<NicRead, { kind: 'irnDetails' }> {
  return { kind: 'irnDetails', irn: parseInput(IrnSchema, irn, 'call', 'irn') };
}

/** An e-way bill by its number (NIC's "get e-way bill"), on an e-way bill session. */
export function ewayBill(ewbNo: string | number): Extract<NicRead, { kind: 'ewayBill' }> {
  return {
    kind: 'ewayBill',
    ewbNo: parseInput(
      EwbNoSchema,
      typeof ewbNo === 'number' ? String(ewbNo) : ewbNo,
      'call',
      'ewbNo',
    ),
  };
}
