import { fc, test } from '@fast-check/vitest';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { GstinSchema, gstinCheckCharacter, isValidGstin } from '../../src/schemas/gstin.js';
import { VALID_GSTINS } from '../helpers/fixtures.js';

const BAD_CHECK = ['24AAACJ3770E2ZZ', '27AAECS1234M1Z5', '01AAFQQ9980MZQR'];
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const upper = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const digit = fc.constantFrom(...'0123456789');
const body14 = fc
  .tuple(
    fc.integer({ min: 1, max: 38 }),
    fc.array(upper, { minLength: 5, maxLength: 5 }),
    fc.array(digit, { minLength: 4, maxLength: 4 }),
    upper,
    fc.constantFrom(...'123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
  )
  .map(
    ([state, letters, digits, last, entity]) =>
      `${String(state).padStart(2, '0')}${letters.join('')}${digits.join('')}${last}${entity}Z`,
  );

describe('GstinSchema', () => {
  it.each(VALID_GSTINS)('accepts the valid sample %s', (gstin) => {
    expect(v.parse(GstinSchema, gstin)).toBe(gstin);
  });

  it.each(BAD_CHECK)('rejects the invalid sample %s', (gstin) => {
    expect(v.safeParse(GstinSchema, gstin).success).toBe(false);
    expect(isValidGstin(gstin)).toBe(false);
  });

  it('names the check character when only it is wrong', () => {
    const result = v.safeParse(GstinSchema, '27AAECS1234M1Z5');
    expect(result.issues?.[0]?.message).toBe('has a wrong check character');
  });

  it('trims whitespace and upper-cases before checking', () => {
    expect(v.parse(GstinSchema, '  27aapfu0939f1zv \n')).toBe('27AAPFU0939F1ZV');
  });

  it.each([
    ['', 'must be 15 characters'],
    ['27AAPFU0939F1Z', 'must be 15 characters'],
    ['27AAPFU0939F1ZVX', 'must be 15 characters'],
    ['2XAAPFU0939F1ZV', 'does not have the shape of a GSTIN'],
    ['27AAPFU0939F0ZV', 'does not have the shape of a GSTIN'],
  ])('rejects %j with "%s" and never echoes the value', (gstin, message) => {
    const result = v.safeParse(GstinSchema, gstin);
    expect(result.success).toBe(false);
    expect(result.issues?.[0]?.message).toBe(message);
  });

  it('computes the check character of a known sample', () => {
    expect(gstinCheckCharacter('27AAPFU0939F1Z')).toBe('V');
    expect(gstinCheckCharacter('27aapfu0939f1z')).toBeUndefined();
  });

  test.prop([body14])('accepts every generated body with its computed check character', (body) => {
    const check = gstinCheckCharacter(body);
    expect(check).toBeDefined();
    expect(isValidGstin(`${body}${check}`)).toBe(true);
  });

  test.prop([body14, fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1, max: 35 })])(
    'rejects any single-character change',
    (body, position, shift) => {
      const gstin = `${body}${gstinCheckCharacter(body)}`;
      const old = ALPHABET.indexOf(gstin.charAt(position));
      const replaced = ALPHABET.charAt((old + shift) % 36);
      const changed = `${gstin.slice(0, position)}${replaced}${gstin.slice(position + 1)}`;
      expect(isValidGstin(changed)).toBe(false);
    },
  );
});
