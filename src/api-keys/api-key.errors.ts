import { CodesOf, defineErrorCodes } from '../common/errors/error-catalogue';
import { declareCredentialFailures } from '../credentials/credential-errors';

export const API_KEY_ERRORS = defineErrorCodes({
  api_key_revoked: [401, 'This API key has been revoked'],
  api_key_expired: [401, 'This API key has expired'],
  api_key_limit_reached: [409, 'You can have at most 10 active API keys. Revoke one to create another.'],
  api_key_inactive: [409, 'This API key is revoked or expired, so it cannot be rolled'],
});

declare module '../common/errors/error-catalogue' {
  interface ErrorCodes extends CodesOf<typeof API_KEY_ERRORS> {}
}

declareCredentialFailures('api_key_revoked', 'api_key_expired');
