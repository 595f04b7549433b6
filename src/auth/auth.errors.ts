import { CodesOf, defineErrorCodes } from '../common/errors/error-catalogue';
import { declareCredentialFailures } from '../credentials/credential-errors';

export const AUTH_ERRORS = defineErrorCodes({
  token_expired: [401, 'The access token has expired'],
  invalid_credentials: [401, 'Invalid email or password'],
  invalid_refresh_token: [401, 'Invalid refresh token; sign in again'],
});

declare module '../common/errors/error-catalogue' {
  interface ErrorCodes extends CodesOf<typeof AUTH_ERRORS> {}
}

declareCredentialFailures('token_expired');
