import { CodesOf, defineErrorCodes } from '../common/errors/error-catalogue';
import { declareCredentialFailures } from '../credentials/credential-errors';

export const API_KEY_ERRORS = defineErrorCodes({
  api_key_revoked: [401, 'This API key has been revoked'],
  api_key_limit_reached: [409, 'You can have at most 10 active API keys. Revoke one to create another.'],
});

declare module '../common/errors/error-catalogue' {
  interface ErrorCodes extends CodesOf<typeof API_KEY_ERRORS> {}
}

declareCredentialFailures('api_key_revoked');
