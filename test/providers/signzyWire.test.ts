import { describe, expect, it } from 'vitest';
import { ResponseValidationError } from '../../src/errors/ResponseValidationError.js';
import {
  GetAuthTokenResponseSchema,
  LoginResponseSchema,
} from '../../src/providers/signzy/wire.js';
import { parseResponse } from '../../src/schemas/parse.js';

const GOOD = { result: { authToken: 'token-1234', sek: 'sek-5678', expiry: 360, message: 'ok' } };

function failure(body: unknown): ResponseValidationError {
  try {
    parseResponse(GetAuthTokenResponseSchema, body, 'getAuthToken');
  } catch (error) {
    if (error instanceof ResponseValidationError) return error;
    throw error;
  }
  throw new Error('expected a ResponseValidationError');
}

describe('Signzy wire schemas', () => {
  it('accept an expiry given as a number or as a numeric string', () => {
    expect(parseResponse(GetAuthTokenResponseSchema, GOOD, 'getAuthToken').result.expiry).toBe(360);
    const asText = { result: { ...GOOD.result, expiry: ' 360 ' } };
    expect(parseResponse(GetAuthTokenResponseSchema, asText, 'getAuthToken').result.expiry).toBe(
      360,
    );
  });

  it.each([['soon'], [null], [Number.NaN], ['6h']])(
    'refuse the non-numeric expiry %j, naming the field',
    (expiry) => {
      const error = failure({ result: { ...GOOD.result, expiry } });
      expect(error.field).toBe('result.expiry');
      expect(error.message).toBe(
        'getAuthToken returned an invalid response: result.expiry must be a number',
      );
    },
  );

  it('refuse an empty token and a body that is not an object', () => {
    expect(failure({ result: { ...GOOD.result, authToken: '' } }).field).toBe('result.authToken');
    expect(failure('<html>').field).toBe('body');
  });

  it('never quote the received value in the message', () => {
    const error = failure({ result: { ...GOOD.result, sek: 12345678 } });
    expect(error.message).not.toContain('12345678');
  });

  it('read the login answer with or without ttl', () => {
    expect(
      parseResponse(LoginResponseSchema, { id: 'a', userId: 'p' }, 'login').ttl,
    ).toBeUndefined();
    expect(
      parseResponse(LoginResponseSchema, { id: 'a', userId: 'p', ttl: '1209600' }, 'login').ttl,
    ).toBe(1_209_600);
  });
});
