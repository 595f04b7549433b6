import { CodesOf, defineErrorCodes } from '../common/errors/error-catalogue';

export const USER_ERRORS = defineErrorCodes({
  email_taken: [409, 'An account with this email already exists'],
});

declare module '../common/errors/error-catalogue' {
  interface ErrorCodes extends CodesOf<typeof USER_ERRORS> {}
}
