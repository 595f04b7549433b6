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
