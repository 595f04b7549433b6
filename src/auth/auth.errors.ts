import { CodesOf, defineErrorCodes } from '../common/errors/error-catalogue';
import { declareCredentialFailures } from '../credentials/credential-errors';

export const AUTH_ERRORS = defineErrorCodes({
  token_expired: [401, 'The access token has expired'],
  invalid_credentials: [401, 'Invalid email or password'],
  invalid_refresh_token: [401, 'Invalid refresh token; sign in again'],
  weak_password: [400, 'This password is too common; choose another'],
  invalid_link_token: [400, 'This link is not valid: it may have expired or been used already. Ask for a new one.'],
  wrong_password: [403, 'The password is not right'],
});

declare module '../common/errors/error-catalogue' {
  interface ErrorCodes extends CodesOf<typeof AUTH_ERRORS> {}
}

declareCredentialFailures('token_expired');
