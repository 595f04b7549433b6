import { ApiException } from '../common/errors/api-exception';
import './credential-errors';

const BEARER_HEADER = /^Bearer [^\s]+$/i;
const BEARER_PREFIX_LENGTH = 'Bearer '.length;

/** The token of a `Bearer <token>` header; throws the matching 401 for anything else. */
export function bearerToken(authorization: string | undefined): string {
  const header = authorization?.trim();
  if (!header) throw new ApiException('missing_authorization', 'Authorization header is required');
  if (!BEARER_HEADER.test(header)) {
    throw new ApiException('invalid_token', 'Authorization header must be "Bearer <token>"');
  }
  return header.slice(BEARER_PREFIX_LENGTH);
}

interface RequestHeaders {
  headers: { authorization?: string };
  raw: { rawHeaders: string[] };
}

/**
 * The request's Authorization header. Node keeps the first of two, silently;
 * two headers that may disagree are refused instead (RFC 6750's
 * invalid_request), whatever the first one says.
 */
export function authorizationOf(request: RequestHeaders): string | undefined {
  const raw = request.raw.rawHeaders;
  let seen = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.length === 13 && name.toLowerCase() === 'authorization' && ++seen > 1) {
      throw new ApiException('validation_failed', 'Send one Authorization header, not several', {
        details: [{ field: 'authorization', message: 'authorization must be sent once' }],
      });
    }
  }
  return request.headers.authorization;
}
