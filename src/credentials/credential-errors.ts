import { CodesOf, defineErrorCodes, ErrorCode } from '../common/errors/error-catalogue';

/** The codes of the guard itself: no header, one it cannot read, and the wrong kind of credential. */
export const CREDENTIAL_ERRORS = defineErrorCodes({
  missing_authorization: [401, 'Authorization header is required'],
  invalid_token: [401, 'Invalid or expired token'],
  session_required: [403, 'This route needs a session token, not an API key'],
  insufficient_scope: [403, 'This API key lacks the scope this route needs'],
});

declare module '../common/errors/error-catalogue' {
  interface ErrorCodes extends CodesOf<typeof CREDENTIAL_ERRORS> {}
}

const failures = new Set<ErrorCode>(['missing_authorization', 'invalid_token']);

/**
 * The codes any authenticated route can answer. A verifier adds those its
 * credential can fail with (`api_key_revoked`, say), and the OpenAPI document
 * lists them on every authenticated route.
 */
export function declareCredentialFailures(...codes: ErrorCode[]): void {
  for (const code of codes) failures.add(code);
}

export const credentialFailures = (): ErrorCode[] => [...failures];
