import { BadRequestException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ApiException } from '../errors/api-exception';
import { toErrorResponse } from './error-response';

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

  it('turns a unique violation into 409', () => {
    const error = new QueryFailedError('INSERT ...', [], Object.assign(new Error('duplicate'), { code: '23505' }));
    expect(toErrorResponse(error).body).toEqual(expect.objectContaining({ statusCode: 409, code: 'conflict' }));
  });

  it('turns an unreachable database into 503', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const response = toErrorResponse(error);
    expect(response.body).toEqual(expect.objectContaining({ statusCode: 503, code: 'service_unavailable' }));
    expect(response.body.message).not.toContain('5432');
    expect(response.unexpected).toBe(false);
  });

  it('hides the internals of anything else behind a plain 500', () => {
    const error = new QueryFailedError('SELECT secret FROM t WHERE x = $1', ['p4ss'], new Error('syntax error'));
    const response = toErrorResponse(error);
    expect(response.body).toEqual({ statusCode: 500, error: 'Internal Server Error', code: 'internal_error', message: 'Internal server error' });
    expect(response.unexpected).toBe(true);
  });
});
