import { BadRequestException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ApiException } from '../errors/api-exception';
import { defineErrorCodes } from '../errors/error-catalogue';
import { toErrorResponse } from './error-response';

// Codes of other layers, as their modules would define them.
defineErrorCodes({
  missing_authorization: [401, 'Authorization header is required'],
  api_key_revoked: [401, 'This API key has been revoked'],
});

describe('toErrorResponse', () => {
  it('adds a bare challenge when no credentials were sent', () => {
    const { body, headers } = toErrorResponse(new ApiException('missing_authorization', 'Authorization header is required'));
    expect(body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      code: 'missing_authorization',
      message: 'Authorization header is required',
    });
    expect(headers['www-authenticate']).toBe('Bearer realm="magpipe"');
  });

  it('adds an RFC 6750 error challenge otherwise', () => {
    const { headers } = toErrorResponse(new ApiException('api_key_revoked', 'This API key has been revoked'));
    expect(headers['www-authenticate']).toBe(
      'Bearer realm="magpipe", error="invalid_token", error_description="This API key has been revoked"',
    );
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(toErrorResponse(new NotFoundException()).body.code).toBe('not_found');
    expect(toErrorResponse(new BadRequestException()).body.code).toBe('validation_failed');
  });

  it('asks the translators it is given, in order, and keeps an HTTP exception as it is', () => {
    const translated = toErrorResponse(new Error('lower layer'), [() => undefined, () => new ApiException('service_unavailable')]);
    expect(translated.body).toEqual(expect.objectContaining({ statusCode: 503, code: 'service_unavailable' }));
    expect(translated.unexpected).toBe(false);
    const untouched = toErrorResponse(new NotFoundException(), [() => new ApiException('service_unavailable')]);
    expect(untouched.body.code).toBe('not_found');
  });

  it('hides the internals of anything else behind a plain 500', () => {
    const error = new QueryFailedError('SELECT secret FROM t WHERE x = $1', ['p4ss'], new Error('syntax error'));
    const response = toErrorResponse(error, [() => undefined]);
    expect(response.body).toEqual({ statusCode: 500, error: 'Internal Server Error', code: 'internal_error', message: 'Internal server error' });
    expect(response.unexpected).toBe(true);
  });
});
