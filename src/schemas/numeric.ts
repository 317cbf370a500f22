import * as v from 'valibot';

/** A number, or a string holding one (providers are not consistent). */
export const NumericSchema = v.union(
  [
    v.pipe(v.number(), v.finite()),
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^-?[0-9]+(\.[0-9]+)?$/),
      v.transform((s) => Number(s)),
    ),
  ],
  'must be a number',
);
